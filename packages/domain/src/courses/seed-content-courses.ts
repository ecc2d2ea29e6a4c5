import type { CompetenceItem, CourseDoc } from '@hts/contracts';
import { courses, courseVersions, type Db, seedCompetences } from '@hts/db';
import { and, desc, eq } from 'drizzle-orm';
import { docHash, publishVersion } from './publish-version.ts';

/**
 * Loads the frameworks and every course of content/ as published. Idempotent: a course whose document is
 * unchanged keeps its version; a changed one gets a new version (learners stay on theirs).
 */
export async function seedContentCourses(db: Db, input: { competences: CompetenceItem[]; courses: Array<{ slug: string; doc: CourseDoc }> }, now = new Date()) {
  await seedCompetences(db, input.competences);
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
