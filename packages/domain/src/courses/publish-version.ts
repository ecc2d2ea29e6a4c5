import { createHash } from 'node:crypto';
import type { CourseDoc } from '@hts/contracts';
import { courses, courseVersionMedia, courseVersions, type Db, mediaAssets } from '@hts/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { catalogFields, mediaAssetIds } from './course-doc.ts';

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
  // the assets this version plays, as far as they exist (content may still name a plain URL instead)
  const ids = mediaAssetIds(doc);
  if (version && ids.length > 0) {
    const found = await tx.select({ id: mediaAssets.id }).from(mediaAssets).where(inArray(mediaAssets.id, ids));
    if (found.length > 0) await tx.insert(courseVersionMedia).values(found.map((a) => ({ assetId: a.id, versionId: version.id })));
  }
  await tx
    .update(courses)
    .set({ ...catalogFields(doc), publishedVersionId: version?.id, publishedAt: now, draft: null, draftUpdatedAt: null, updatedAt: now })
    .where(eq(courses.id, courseId));
  return number;
}
