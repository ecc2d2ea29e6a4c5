import type { Lesson, ProgressBatch, ProgressEvent, ProgressResult, ProgressResults } from '@hts/contracts';
import { type Db, type LessonProgressRow, type NewProgressEventRow, queryRows } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import type { Notifier } from '../criteria/notifier.ts';
import { DomainError } from '../shared/errors.ts';
import { requestHash } from '../shared/idempotency.ts';
import { type LearningEvent, platformStatementRows } from '../xapi/platform-events.ts';
import { clashingStatement } from '../xapi/write-statements.ts';
import { completeCourseIfDone, completedIds } from './complete-course.ts';
import type { CourseState, EnrolmentState } from './enrolment-state.ts';
import { enrolledIn, lessonStatuses } from './enrolment-state.ts';
import { learnerLockSql } from './learner-lock.ts';
import { courseActivity, type LearningDeps, lessonActivity, lessonPercent } from './learning-statements.ts';
import { readBatchState, type TouchedLesson, writeBatch } from './progress-batch-sql.ts';
import { checkWatchReport, coveredSeconds, type Interval, mergeIntervals } from './rules.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * A batch of progress events, as a phone flushes what it queued offline. Each event id is the client's:
 * a replay gets the stored answer back, the same id with other content is a 409. Completion is decided here,
 * from the lesson's rule and what the server has recorded, never from a flag the client sends. Each accepted
 * event (and a course completion it brings) is also an xAPI statement, stored in the same transaction.
 *
 * One transaction per batch, and three statements in it whatever the batch's size (progress-batch-sql.ts):
 * the learner's lock and one read, sent together, then the events applied in memory to the learner's state,
 * then one write of every table, xAPI statements included. Only an event that newly completes a course
 * costs more (the completion, its evidence and its job). The lock is per learner (learner-lock.ts, taken by
 * every writer of a learner's progress), so two batches of one learner (a phone retrying while its
 * first request is still running) take turns: the second sees the first's events as replays and its state,
 * instead of deadlocking on the same rows or overwriting the first's progress with an older picture.
 */
export async function recordProgress(deps: LearningDeps, actor: Actor, batch: ProgressBatch): Promise<ProgressResults> {
  const ids = batch.events.map((e) => e.id);
  if (new Set(ids).size !== ids.length) {
    const i = ids.findIndex((id, n) => ids.indexOf(id) !== n);
    throw new DomainError('validation_failed', 'an event id appears twice in the batch', [
      { field: `/body/events/${i}/id`, message: 'appears twice in this batch' },
    ]);
  }
  const hashes = batch.events.map((e) => requestHash(e));
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const courseIds = [...new Set(batch.events.map((e) => e.courseId))];
    // The lock and the read go out together (one round trip). The read must reach the database after the
    // lock: it then runs once the lock is granted, as a statement of its own whose snapshot holds what the
    // lock's previous holder committed. Both start here, in this order, down the same path (queryRows), so
    // they are handed to the driver in this order; drizzle's query objects start only when awaited, which
    // is why the lock is not passed to Promise.all unstarted (the read would overtake it).
    const locked = queryRows(tx as unknown as Db, learnerLockSql(actor.userId));
    const read = readBatchState(tx, actor.userId, ids, courseIds);
    const [, { stored, courses }] = await Promise.all([locked, read]);
    batch.events.forEach((e, i) => {
      const prior = stored.get(e.id);
      if (prior && prior.hash !== hashes[i]) {
        throw new DomainError('conflict', 'this event id was used for a different event', [
          { field: `/body/events/${i}/id`, message: 'already used for a different event' },
        ]);
      }
    });
    const fresh = batch.events.map((e, i) => ({ e, i })).filter(({ e }) => !stored.has(e.id));
    // every course in the batch must be published and the caller enrolled, before anything is written
    const states = new Map<string, EnrolmentState>();
    for (const { e, i } of fresh) {
      if (states.has(e.courseId)) continue;
      states.set(e.courseId, enrolledIn(courses.get(e.courseId) as CourseState, `/body/events/${i}/courseId`));
    }
    const results = new Map<string, ProgressResult>();
    if (fresh.length > 0) {
      const rows: NewProgressEventRow[] = [];
      const events: LearningEvent[] = [];
      const touched = new Map<string, TouchedLesson>();
      for (const { e, i } of fresh) {
        const state = states.get(e.courseId) as EnrolmentState;
        const progressed = events.length;
        const outcome = await apply(tx, state, e, now, events, touched, deps.notifier);
        if (outcome.result.status === 'accepted')
          events.splice(progressed, 0, {
            kind: 'progress',
            eventId: `progress:${actor.userId}:${e.id}`,
            userId: actor.userId,
            activity: lessonActivity(state, e.lessonId),
            percent: lessonPercent(state, e.lessonId),
            at: now,
            course: courseActivity(state),
          });
        const result: ProgressResult = { id: e.id, replayed: false, ...outcome.result };
        results.set(e.id, result);
        rows.push({
          userId: actor.userId,
          eventId: e.id,
          enrolmentId: state.enrolment.id,
          lessonId: e.lessonId,
          kind: e.kind,
          requestHash: hashes[i] as string,
          result: { ...result, replayed: true },
          flagged: outcome.flagged,
          createdAt: now,
        });
      }
      // the statements go in with the rest: they never void, reference or carry attachments, so their insert
      // needs nothing after it (no savepoint, no second round trip)
      const statements = platformStatementRows(deps.baseIri, events, now);
      const inserted = await writeBatch(tx, {
        events: rows,
        lessons: [...touched.values()],
        enrolments: [...states.values()].map((state) => ({
          id: state.enrolment.id,
          lastLessonId: fresh.filter(({ e }) => e.courseId === state.enrolment.courseId).at(-1)?.e.lessonId ?? null,
          at: now,
        })),
        statements,
      });
      // a statement id already stored: harmless if it holds the same content, else nothing of the batch stays
      const clash = await clashingStatement(
        tx,
        statements.filter((r) => !inserted.has(r.id as string)),
      );
      if (clash) throw new DomainError('conflict', `the LRS already holds statement ${clash.id} with other content`);
    }
    return {
      results: batch.events.map((e) => results.get(e.id) ?? ({ ...(stored.get(e.id)?.result as ProgressResult), replayed: true } as ProgressResult)),
    };
  });
}

interface Outcome {
  result: Omit<ProgressResult, 'id' | 'replayed'>;
  flagged: boolean;
}

/**
 * Applies one event to the learner's state in memory (written by writeLessonProgress at the end of the
 * batch). The course rule is checked only when this event newly completes its lesson: nothing else can
 * make a course complete.
 */
async function apply(
  tx: Tx,
  state: EnrolmentState,
  e: ProgressEvent,
  now: Date,
  events: LearningEvent[],
  touched: Map<string, TouchedLesson>,
  notifier?: Notifier,
): Promise<Outcome> {
  const reject = (reason: string, flagged = false): Outcome => ({
    result: { status: 'rejected', reason, lessonCompleted: Boolean(state.progress.get(e.lessonId)?.completedAt), courseCompleted: Boolean(state.completedAt) },
    flagged,
  });
  const lesson = findLesson(state.doc, e.lessonId);
  if (!lesson) return reject('no such lesson in the version you are enrolled in');
  if (lessonStatuses(state).get(lesson.id) === 'locked') return reject('locked: finish the lessons before this one first');
  const current = state.progress.get(lesson.id);
  const key = `${state.enrolment.id}/${lesson.id}`;
  const touch = (row: LessonProgressRow, flagged: number) => {
    state.progress.set(lesson.id, row);
    const seen = touched.get(key);
    touched.set(key, { row, addFlagged: (seen?.addFlagged ?? 0) + flagged });
  };
  const base: LessonProgressRow = current ?? {
    enrolmentId: state.enrolment.id,
    lessonId: lesson.id,
    openedAt: now,
    completedAt: null,
    videoIntervals: [],
    videoPosition: 0,
    flaggedReports: 0,
    externalResult: null,
  };
  let intervals = base.videoIntervals;
  let position = base.videoPosition;
  let externalResult = base.externalResult;
  let done = false;
  if (e.kind === 'opened') done = lesson.kind === 'text';
  else if (e.kind === 'video') {
    if (lesson.kind !== 'video' || !lesson.video || !e.video) return reject('a video report needs a video lesson and its intervals');
    const problem = checkWatchReport({ intervals: e.video.intervals as Interval[], wallSeconds: e.video.wallSeconds }, lesson.video.durationSeconds);
    if (problem) {
      touch({ ...base, flaggedReports: base.flaggedReports + 1 }, 1);
      return reject(problem, true);
    }
    intervals = mergeIntervals([...intervals, ...(e.video.intervals as Interval[])]);
    position = Math.min(e.video.position, lesson.video.durationSeconds);
    done = watchedEnough(lesson, intervals);
  } else {
    if (lesson.kind !== 'external' || !lesson.external || !e.external) return reject('an external result needs an external lesson');
    // what the page says it saw is kept for display only: an external activity completes from the statements
    // its package sends to the platform's LRS (completeFromStatements), never from a client's report
    externalResult = e.external.result;
  }
  const completedAt = base.completedAt ?? (done ? now : null);
  touch({ ...base, completedAt, videoIntervals: intervals, videoPosition: position, externalResult }, 0);
  const newlyCompleted = !base.completedAt && completedAt !== null;
  const courseCompleted = newlyCompleted ? await completeCourseIfDone(tx, state, completedIds(state), now, events, notifier) : Boolean(state.completedAt);
  return { result: { status: 'accepted', lessonCompleted: completedAt !== null, courseCompleted }, flagged: false };
}

function watchedEnough(lesson: Lesson, intervals: Interval[]): boolean {
  if (!lesson.video) return false;
  return (coveredSeconds(intervals) / lesson.video.durationSeconds) * 100 >= lesson.video.watchPercent;
}
