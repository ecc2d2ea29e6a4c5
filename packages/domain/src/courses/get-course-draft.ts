import type { CourseDraft } from '@hts/contracts';
import { courseVersions, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { loadEditableCourse } from './course-access.ts';
import { trainerCourseView } from './trainer-course-view.ts';

/** The draft, or (when there are no unpublished edits) a copy of the published version to start one from. */
export async function getCourseDraft(deps: { db: Db }, actor: Actor, courseId: string): Promise<CourseDraft> {
  const course = await loadEditableCourse(deps.db, actor, courseId);
  const [version] = course.publishedVersionId
    ? await deps.db
        .select({ number: courseVersions.number, doc: courseVersions.doc })
        .from(courseVersions)
        .where(eq(courseVersions.id, course.publishedVersionId))
    : [];
  const draft = course.draft ?? version?.doc;
  if (!draft) throw new Error(`course ${course.id} has neither a draft nor a published version`);
  return { course: trainerCourseView(course, version?.number ?? null), draft };
}
