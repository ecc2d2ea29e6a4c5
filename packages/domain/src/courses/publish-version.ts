import { createHash } from 'node:crypto';
import type { CourseDoc } from '@hts/contracts';
import { courses, courseVersions, type Db } from '@hts/db';
import { eq, sql } from 'drizzle-orm';
import { catalogFields } from './course-doc.ts';

export const docHash = (doc: CourseDoc) => createHash('sha256').update(JSON.stringify(doc)).digest('base64url');

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Freezes a document as the next version of a course and points the catalog at it. Enrolments keep the
 * version they pinned; nothing here touches them.
 */
export async function publishVersion(tx: Tx, courseId: string, doc: CourseDoc, publishedBy: string | null, now: Date): Promise<number> {
  const [next] = await tx
    .select({ n: sql<number>`coalesce(max(${courseVersions.number}), 0) + 1` })
    .from(courseVersions)
    .where(eq(courseVersions.courseId, courseId));
  const number = Number(next?.n ?? 1);
  const [version] = await tx
    .insert(courseVersions)
    .values({ courseId, number, doc, docHash: docHash(doc), publishedBy, publishedAt: now })
    .returning({ id: courseVersions.id });
  await tx
    .update(courses)
    .set({ ...catalogFields(doc), publishedVersionId: version?.id, publishedAt: now, draft: null, draftUpdatedAt: null, updatedAt: now })
    .where(eq(courses.id, courseId));
  return number;
}
