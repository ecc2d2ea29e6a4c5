import type { TrainerCourseList } from '@hts/contracts';
import { courses, courseVersions, type Db } from '@hts/db';
import { desc, eq } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import { trainerCourseView } from './trainer-course-view.ts';

export async function listTrainerCourses(deps: { db: Db }, actor: Actor): Promise<TrainerCourseList> {
  requireRole(actor, ['trainer', 'admin']);
  const query = deps.db
    .select({ course: courses, number: courseVersions.number })
    .from(courses)
    .leftJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
    .orderBy(desc(courses.updatedAt))
    .$dynamic();
  const rows = actor.roles.has('admin') ? await query : await query.where(eq(courses.ownerId, actor.userId));
  return { items: rows.map((r) => trainerCourseView(r.course, r.number ?? null)) };
}
