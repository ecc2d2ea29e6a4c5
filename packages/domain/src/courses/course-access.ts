import { type CourseRow, courses, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

/** The course a trainer may edit: their own; admins may edit any. Others get 403, a missing id 404. */
export async function loadEditableCourse(db: Db, actor: Actor, courseId: string): Promise<CourseRow> {
  const [course] = await db.select().from(courses).where(eq(courses.id, courseId));
  if (!course) throw new DomainError('not_found', 'no course has this id', [{ field: '/params/id', message: 'no course has this id' }]);
  if (!actor.roles.has('admin') && course.ownerId !== actor.userId)
    throw new DomainError('forbidden', 'only the course owner (or an admin) can edit this course');
  return course;
}
