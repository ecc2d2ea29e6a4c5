import type { CourseDoc } from '@hts/contracts';
import { courseCompletions, courses, courseVersions, type Db, type EnrolmentRow, enrolments, type LessonProgressRow, lessonProgress } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { allLessons } from '../courses/course-doc.ts';
import { DomainError } from '../shared/errors.ts';
import { courseProgress } from './course-progress.ts';

export type LessonStatus = 'locked' | 'open' | 'started' | 'completed';

export interface EnrolmentState {
  enrolment: EnrolmentRow;
  doc: CourseDoc;
  versionNumber: number;
  progress: Map<string, LessonProgressRow>;
  completedAt: Date | null;
}

/**
 * Published versions never change (a trigger rejects it) and their ids are random, so a document read once
 * can be kept: every progress batch needs its course's document, and reading and parsing the whole course
 * each time was a large share of the batch's cost. Bounded; the least recently used goes first.
 */
const versionDocs = new Map<string, { doc: CourseDoc; number: number }>();
const VERSION_DOCS_KEPT = 200;

export async function versionDoc(db: Db, versionId: string): Promise<{ doc: CourseDoc; number: number } | undefined> {
  const kept = versionDocs.get(versionId);
  if (kept) {
    versionDocs.delete(versionId);
    versionDocs.set(versionId, kept);
    return kept;
  }
  const [row] = await db.select({ doc: courseVersions.doc, number: courseVersions.number }).from(courseVersions).where(eq(courseVersions.id, versionId));
  if (!row) return undefined;
  versionDocs.set(versionId, row);
  if (versionDocs.size > VERSION_DOCS_KEPT) versionDocs.delete(versionDocs.keys().next().value as string);
  return row;
}

/** A learner's enrolment in a course with the version document it is pinned to and the progress so far. */
export async function loadEnrolmentState(db: Db, userId: string, courseId: string): Promise<EnrolmentState | null> {
  const [row] = await db
    .select({ enrolment: enrolments, completedAt: courseCompletions.completedAt })
    .from(enrolments)
    .leftJoin(courseCompletions, eq(courseCompletions.enrolmentId, enrolments.id))
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
  if (!row) return null;
  const [version, rows] = await Promise.all([
    versionDoc(db, row.enrolment.versionId),
    db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, row.enrolment.id)),
  ]);
  if (!version) throw new Error(`enrolment ${row.enrolment.id} points at a missing version`);
  return {
    enrolment: row.enrolment,
    doc: version.doc,
    versionNumber: version.number,
    progress: new Map(rows.map((r) => [r.lessonId, r])),
    completedAt: row.completedAt,
  };
}

/**
 * The enrolment of the caller in a course that exists and is published: a missing or unpublished course is
 * 404 (it does not exist for learners), a course they have not enrolled in is 403.
 */
export async function requireEnrolment(db: Db, userId: string, courseId: string, field = '/params/id'): Promise<EnrolmentState> {
  return enrolledIn(await loadCourseState(db, userId, courseId), field);
}

/** Whether the course is published and the learner's state in it, read together (the two queries are sent at once). */
export interface CourseState {
  published: boolean;
  state: EnrolmentState | null;
}

export async function loadCourseState(db: Db, userId: string, courseId: string): Promise<CourseState> {
  const [[course], state] = await Promise.all([
    db.select({ published: courses.publishedVersionId }).from(courses).where(eq(courses.id, courseId)),
    loadEnrolmentState(db, userId, courseId),
  ]);
  return { published: Boolean(course?.published), state };
}

/** The state of a published course the learner is enrolled in, or the 404/403 of requireEnrolment. */
export function enrolledIn(course: CourseState, field: string): EnrolmentState {
  if (!course.published) throw new DomainError('not_found', 'no published course has this id', [{ field, message: 'no published course has this id' }]);
  if (!course.state) throw new DomainError('forbidden', 'enrol in this course first', [{ field, message: 'you are not enrolled in this course' }]);
  return course.state;
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

/**
 * The learner's place in a course: each lesson's status, the progress the completion rule counts
 * (course-progress.ts: required lessons only, or the final test), and the lesson to continue at.
 */
export function summarise(state: Pick<EnrolmentState, 'doc' | 'progress' | 'enrolment' | 'completedAt'>) {
  const statuses = lessonStatuses(state);
  const lessons = allLessons(state.doc);
  const completedIds = new Set(lessons.filter((l) => statuses.get(l.id) === 'completed').map((l) => l.id));
  // continue at the last lesson touched if it is unfinished, else the first one not yet completed
  const last = state.enrolment.lastLessonId;
  const next =
    last && statuses.get(last) !== 'completed' && statuses.has(last)
      ? last
      : (lessons.find((l) => statuses.get(l.id) === 'open' || statuses.get(l.id) === 'started')?.id ?? null);
  return { statuses, ...courseProgress(state.doc, completedIds, state.completedAt !== null), nextLessonId: next };
}
