import type { CourseDoc } from '@hts/contracts';
import { competences, courses, courseVersions, type Db } from '@hts/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import { docHash, publishVersion } from './publish-version.ts';

export interface CompetenceSeed {
  code: string;
  framework: string;
  groupCode: string;
  groupName: string;
  nameVi: string;
  nameEn: string;
  assumption: string | null;
}

/**
 * Loads the frameworks and every course of content/ as published. Idempotent: a course whose document is
 * unchanged keeps its version; a changed one gets a new version (learners stay on theirs).
 */
export async function seedContentCourses(db: Db, input: { competences: CompetenceSeed[]; courses: Array<{ slug: string; doc: CourseDoc }> }, now = new Date()) {
  if (input.competences.length > 0) {
    await db
      .insert(competences)
      .values(input.competences.map((c, i) => ({ ...c, sortOrder: i })))
      .onConflictDoUpdate({
        target: competences.code,
        set: {
          nameVi: sql`excluded.name_vi`,
          nameEn: sql`excluded.name_en`,
          groupName: sql`excluded.group_name`,
          assumption: sql`excluded.assumption`,
          sortOrder: sql`excluded.sort_order`,
        },
      });
  }
  let published = 0;
  for (const { slug, doc } of input.courses) {
    await db.transaction(async (tx) => {
      await tx.insert(courses).values({ slug, title: doc.title, origin: 'content' }).onConflictDoNothing({ target: courses.slug });
      const [course] = await tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug)).for('update');
      if (!course) return;
      const [latest] = await tx
        .select({ hash: courseVersions.docHash })
        .from(courseVersions)
        .where(and(eq(courseVersions.courseId, course.id)))
        .orderBy(desc(courseVersions.number))
        .limit(1);
      if (latest?.hash === docHash(doc)) return;
      await publishVersion(tx, course.id, doc, null, now);
      published += 1;
    });
  }
  return { published };
}
