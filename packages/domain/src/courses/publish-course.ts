import type { TrainerCourse } from '@hts/contracts';
import { courses, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import type { CatalogCache } from '../catalog/catalog-cache.ts';
import { DomainError } from '../shared/errors.ts';
import { loadEditableCourse } from './course-access.ts';
import { checkPublishable } from './course-doc.ts';
import { checkLessonMedia } from './lesson-media.ts';
import { publishVersion } from './publish-version.ts';
import { trainerCourseView } from './trainer-course-view.ts';

export async function publishCourse(
  deps: { db: Db; clock: { now(): Date }; catalogCache?: CatalogCache },
  actor: Actor,
  courseId: string,
): Promise<TrainerCourse> {
  const course = await loadEditableCourse(deps.db, actor, courseId);
  if (!course.draft) throw new DomainError('conflict', 'there are no unpublished changes to publish');
  await checkPublishable(deps.db, course.draft);
  const draft = await checkLessonMedia(deps.db, actor, course, course.draft, { publishing: true });
  const number = await deps.db.transaction(async (tx) => {
    // the row lock makes two publishes of the same course take turns, so version numbers never collide
    await tx.select({ id: courses.id }).from(courses).where(eq(courses.id, course.id)).for('update');
    return publishVersion(tx, course.id, draft, actor.userId, deps.clock.now());
  });
  // after the commit: the new version is findable in the catalog from the next request on
  deps.catalogCache?.invalidate();
  const [row] = await deps.db.select().from(courses).where(eq(courses.id, course.id));
  if (!row) throw new Error('published course vanished');
  return trainerCourseView(row, number);
}
