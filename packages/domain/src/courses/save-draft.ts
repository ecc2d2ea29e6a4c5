import type { CourseDraft, SaveDraftBody } from '@hts/contracts';
import { courses, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { loadEditableCourse } from './course-access.ts';
import { getCourseDraft } from './get-course-draft.ts';
import { checkLessonMedia } from './lesson-media.ts';

/** Replaces the draft only: the published version (and everyone learning from it) stays as it was. */
export async function saveDraft(deps: { db: Db }, actor: Actor, courseId: string, input: SaveDraftBody): Promise<CourseDraft> {
  const course = await loadEditableCourse(deps.db, actor, courseId);
  const draft = await checkLessonMedia(deps.db, actor, course, input.draft, { publishing: false });
  const now = new Date();
  await deps.db
    .update(courses)
    .set({ draft, draftUpdatedAt: now, updatedAt: now, ...(course.publishedVersionId ? {} : { title: draft.title }) })
    .where(eq(courses.id, course.id));
  return getCourseDraft(deps, actor, courseId);
}
