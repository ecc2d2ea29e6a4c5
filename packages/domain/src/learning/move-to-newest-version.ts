import type { Lesson, VersionMove } from '@hts/contracts';
import { courseCompletions, courses, courseVersions, type Db, enrolments, lessonProgress } from '@hts/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { allLessons } from '../courses/course-doc.ts';
import { canonicalJson } from '../evidence/canonical-json.ts';
import { DomainError } from '../shared/errors.ts';
import type { LearningEvent } from '../xapi/platform-events.ts';
import { completeCourseIfDone, completedIds } from './complete-course.ts';
import { loadEnrolmentState } from './enrolment-state.ts';
import { lockLearner } from './learner-lock.ts';
import { type LearningDeps, recordInTransaction } from './learning-statements.ts';

/**
 * A learner stays on the version they started until they ask to move (never automatically). On request,
 * the enrolment is re-pinned to the newest published version. The rule for what carries over: a lesson's
 * progress (opened, watched intervals, completion) is kept when the new version has a lesson with the same
 * id whose whole definition (kind, text, video, quiz questions and answers, rule, minutes, required) is
 * identical; every other progress row of the enrolment is removed, so a changed lesson is taken again.
 * Quiz attempts stay as history. A course already completed keeps its completion on its version (409).
 */
export async function moveToNewestVersion(deps: LearningDeps, actor: Actor, courseId: string): Promise<VersionMove> {
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [course] = await tx
      .select({ versionId: courses.publishedVersionId, number: courseVersions.number, doc: courseVersions.doc })
      .from(courses)
      .innerJoin(courseVersions, eq(courseVersions.id, courses.publishedVersionId))
      .where(eq(courses.id, courseId));
    if (!course?.versionId)
      throw new DomainError('not_found', 'no published course has this id', [{ field: '/params/id', message: 'no published course has this id' }]);
    // the learner's lock (learner-lock.ts): a move and any other writer of this learner's progress take turns
    await lockLearner(tx, actor.userId);
    const [locked] = await tx
      .select({ id: enrolments.id })
      .from(enrolments)
      .where(and(eq(enrolments.userId, actor.userId), eq(enrolments.courseId, courseId)))
      .for('update');
    if (!locked) throw new DomainError('forbidden', 'enrol in this course first', [{ field: '/params/id', message: 'you are not enrolled in this course' }]);
    const state = await loadEnrolmentState(db, actor.userId, courseId);
    if (!state) throw new Error('enrolment vanished under its lock');
    const [done] = await tx.select({ id: courseCompletions.id }).from(courseCompletions).where(eq(courseCompletions.enrolmentId, state.enrolment.id));
    if (done) throw new DomainError('conflict', `you completed this course on version ${state.versionNumber}; the completion stays with that version`);
    if (state.enrolment.versionId === course.versionId)
      return {
        moved: false,
        fromVersion: state.versionNumber,
        versionNumber: course.number,
        keptLessons: [...state.progress.keys()],
        resetLessons: [],
        courseCompleted: false,
      };

    const fingerprint = (l: Lesson) => canonicalJson(l);
    const next = new Map(allLessons(course.doc).map((l) => [l.id, fingerprint(l)]));
    const before = new Map(allLessons(state.doc).map((l) => [l.id, fingerprint(l)]));
    const kept: string[] = [];
    const reset: string[] = [];
    for (const lessonId of state.progress.keys()) {
      const same = before.get(lessonId) !== undefined && before.get(lessonId) === next.get(lessonId);
      (same ? kept : reset).push(lessonId);
    }
    if (reset.length > 0)
      await tx.delete(lessonProgress).where(and(eq(lessonProgress.enrolmentId, state.enrolment.id), inArray(lessonProgress.lessonId, reset)));
    const now = deps.clock.now();
    const fromVersion = state.versionNumber;
    const stillThere = state.enrolment.lastLessonId && next.has(state.enrolment.lastLessonId) ? state.enrolment.lastLessonId : null;
    await tx
      .update(enrolments)
      .set({ versionId: course.versionId, lastLessonId: stillThere, lastActivityAt: now })
      .where(eq(enrolments.id, state.enrolment.id));
    for (const id of reset) state.progress.delete(id);
    state.enrolment = { ...state.enrolment, versionId: course.versionId };
    state.doc = course.doc;
    state.versionNumber = course.number;
    const events: LearningEvent[] = [];
    const courseCompleted = await completeCourseIfDone(tx, state, completedIds(state), now, events, deps.notifier);
    await recordInTransaction(tx, deps, events);
    return { moved: true, fromVersion, versionNumber: course.number, keptLessons: kept, resetLessons: reset, courseCompleted };
  });
}
