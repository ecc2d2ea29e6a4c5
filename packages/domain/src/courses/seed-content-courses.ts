import type { CompetenceItem, CourseDoc } from '@hts/contracts';
import { courses, courseVersions, type Db, mediaAssets, seedCompetences } from '@hts/db';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { mediaAssetIds } from './course-doc.ts';
import { docHash, publishVersion } from './publish-version.ts';

/**
 * Loads the frameworks and every course of content/ as published. Idempotent: a course whose document is
 * unchanged keeps its version; a changed one gets a new version (learners stay on theirs).
 *
 * A video lesson naming a media asset (`mediaAssetId`) is kept only when that asset exists, so the demo clip's
 * lesson appears when the demo video was generated (ffmpeg present, DEMO_VIDEO not false) and the course stays
 * complete-able without it; once the asset turns up on a later start, the course gets a version with the lesson.
 */
export async function seedContentCourses(db: Db, input: { competences: CompetenceItem[]; courses: Array<{ slug: string; doc: CourseDoc }> }, now = new Date()) {
  await seedCompetences(db, input.competences);
  let published = 0;
  const named = [...new Set(input.courses.flatMap((c) => mediaAssetIds(c.doc)))];
  const existing = new Set(
    named.length > 0 ? (await db.select({ id: mediaAssets.id }).from(mediaAssets).where(inArray(mediaAssets.id, named))).map((a) => a.id) : [],
  );
  for (const { slug, doc: full } of input.courses) {
    const doc = withoutMissingMedia(full, existing);
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

/** The document without the video lessons whose asset does not exist (and without modules left empty). */
function withoutMissingMedia(doc: CourseDoc, existing: Set<string>): CourseDoc {
  const missing = (l: CourseDoc['modules'][number]['lessons'][number]) => Boolean(l.video?.mediaAssetId && !existing.has(l.video.mediaAssetId.toLowerCase()));
  if (!doc.modules.some((m) => m.lessons.some(missing))) return doc;
  const modules = doc.modules.map((m) => ({ ...m, lessons: m.lessons.filter((l) => !missing(l)) })).filter((m) => m.lessons.length > 0);
  return { ...doc, modules };
}
