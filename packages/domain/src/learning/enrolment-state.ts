import type { CourseDoc } from '@hts/contracts';
import { courseCompletions, courses, courseVersions, type Db, type EnrolmentRow, enrolments, type LessonProgressRow, lessonProgress } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { allLessons } from '../courses/course-doc.ts';
import { DomainError } from '../shared/errors.ts';

export type LessonStatus = 'locked' | 'open' | 'started' | 'completed';

export interface EnrolmentState {
  enrolment: EnrolmentRow;
  doc: CourseDoc;
  versionNumber: number;
  progress: Map<string, LessonProgressRow>;
  completedAt: Date | null;
}

/** A learner's enrolment in a course with the version document it is pinned to and the progress so far. */
export async function loadEnrolmentState(db: Db, userId: string, courseId: string): Promise<EnrolmentState | null> {
  const [row] = await db
    .select({ enrolment: enrolments, doc: courseVersions.doc, number: courseVersions.number, completedAt: courseCompletions.completedAt })
    .from(enrolments)
    .innerJoin(courseVersions, eq(courseVersions.id, enrolments.versionId))
    .leftJoin(courseCompletions, eq(courseCompletions.enrolmentId, enrolments.id))
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
  if (!row) return null;
  const rows = await db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, row.enrolment.id));
  return {
    enrolment: row.enrolment,
    doc: row.doc,
    versionNumber: row.number,
    progress: new Map(rows.map((r) => [r.lessonId, r])),
    completedAt: row.completedAt,
  };
}

/**
 * The enrolment of the caller in a course that exists and is published: a missing or unpublished course is
 * 404 (it does not exist for learners), a course they have not enrolled in is 403.
 */
export async function requireEnrolment(db: Db, userId: string, courseId: string, field = '/params/id'): Promise<EnrolmentState> {
  const [course] = await db.select({ published: courses.publishedVersionId }).from(courses).where(eq(courses.id, courseId));
  if (!course?.published) throw new DomainError('not_found', 'no published course has this id', [{ field, message: 'no published course has this id' }]);
  const state = await loadEnrolmentState(db, userId, courseId);
  if (!state) throw new DomainError('forbidden', 'enrol in this course first', [{ field, message: 'you are not enrolled in this course' }]);
  return state;
}

/** Status per lesson; in a locked sequence a lesson opens only when every required lesson before it is complete. */
export function lessonStatuses(state: Pick<EnrolmentState, 'doc' | 'progress'>): Map<string, LessonStatus> {
  const out = new Map<string, LessonStatus>();
  let blocked = false;
  for (const lesson of allLessons(state.doc)) {
    const p = state.progress.get(lesson.id);
    const status: LessonStatus = p?.completedAt ? 'completed' : blocked ? 'locked' : p ? 'started' : 'open';
    out.set(lesson.id, status);
    if (state.doc.sequence === 'locked' && lesson.required && status !== 'completed') blocked = true;
  }
  return out;
}

export function summarise(state: Pick<EnrolmentState, 'doc' | 'progress' | 'enrolment'>) {
  const statuses = lessonStatuses(state);
  const lessons = allLessons(state.doc);
  const completed = lessons.filter((l) => statuses.get(l.id) === 'completed').length;
  // continue at the last lesson touched if it is unfinished, else the first one not yet completed
  const last = state.enrolment.lastLessonId;
  const next =
    last && statuses.get(last) !== 'completed' && statuses.has(last)
      ? last
      : (lessons.find((l) => statuses.get(l.id) === 'open' || statuses.get(l.id) === 'started')?.id ?? null);
  return { statuses, completedLessons: completed, totalLessons: lessons.length, nextLessonId: next };
}
