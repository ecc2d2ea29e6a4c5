import type { CourseDoc, CourseDraft, CreateCourseBody } from '@hts/contracts';
import { courses, type Db } from '@hts/db';
import { type Actor, requireRole } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { trainerCourseView } from './trainer-course-view.ts';

export async function createCourse(deps: { db: Db }, actor: Actor, input: CreateCourseBody): Promise<CourseDraft> {
  requireRole(actor, ['trainer', 'admin']);
  const draft: CourseDoc = {
    title: input.title,
    summary: '',
    level: 'co-ban',
    language: 'vi',
    sequence: 'free',
    competences: [],
    targetGroups: [],
    modules: [],
  };
  const [row] = await deps.db
    .insert(courses)
    .values({ slug: input.slug, title: input.title, ownerId: actor.userId, origin: 'authored', draft, draftUpdatedAt: new Date() })
    .onConflictDoNothing({ target: courses.slug })
    .returning();
  if (!row) throw new DomainError('conflict', 'a course already has this slug', [{ field: '/body/slug', message: 'already used by another course' }]);
  return { course: trainerCourseView(row, null), draft };
}
