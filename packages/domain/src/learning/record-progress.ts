import type { Lesson, ProgressBatch, ProgressEvent, ProgressResult, ProgressResults } from '@hts/contracts';
import { type Db, enrolments, lessonProgress, progressEvents } from '@hts/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import type { Notifier } from '../criteria/notifier.ts';
import { DomainError } from '../shared/errors.ts';
import { requestHash } from '../shared/idempotency.ts';
import type { LearningEvent } from '../xapi/platform-events.ts';
import { completeCourseIfDone, completedIds } from './complete-course.ts';
import { type EnrolmentState, lessonStatuses, requireEnrolment } from './enrolment-state.ts';
import { courseActivity, type LearningDeps, lessonActivity, lessonPercent, recordInTransaction } from './learning-statements.ts';
import { checkWatchReport, coveredSeconds, type Interval, mergeIntervals } from './rules.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * A batch of progress events, as a phone flushes what it queued offline. Each event id is the client's:
 * a replay gets the stored answer back, the same id with other content is a 409. Completion is decided here,
 * from the lesson's rule and what the server has recorded, never from a flag the client sends. Each accepted
 * event (and a course completion it brings) is also an xAPI statement, stored in the same transaction.
 */
export async function recordProgress(deps: LearningDeps, actor: Actor, batch: ProgressBatch): Promise<ProgressResults> {
  const { db } = deps;
  const ids = batch.events.map((e) => e.id);
  if (new Set(ids).size !== ids.length) {
    const i = ids.findIndex((id, n) => ids.indexOf(id) !== n);
    throw new DomainError('validation_failed', 'an event id appears twice in the batch', [
      { field: `/body/events/${i}/id`, message: 'appears twice in this batch' },
    ]);
  }
  const hashes = batch.events.map((e) => requestHash(e));
  const stored = new Map(
    (
      await db
        .select({ id: progressEvents.eventId, hash: progressEvents.requestHash, result: progressEvents.result })
        .from(progressEvents)
        .where(and(eq(progressEvents.userId, actor.userId), inArray(progressEvents.eventId, ids)))
    ).map((r) => [r.id, r]),
  );
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
    states.set(e.courseId, await requireEnrolment(db, actor.userId, e.courseId, `/body/events/${i}/courseId`));
  }
  const now = deps.clock.now();
  const results = new Map<string, ProgressResult>();
  if (fresh.length > 0) {
    await db.transaction(async (tx) => {
      const rows: Array<typeof progressEvents.$inferInsert> = [];
      const events: LearningEvent[] = [];
      for (const { e, i } of fresh) {
        const state = states.get(e.courseId) as EnrolmentState;
        const progressed = events.length;
        const outcome = await apply(tx, state, e, now, events, deps.notifier);
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
      // one multi-row insert for the whole batch; a concurrent replay of the same ids loses quietly
      await tx.insert(progressEvents).values(rows).onConflictDoNothing();
      await recordInTransaction(tx, deps, events);
      for (const state of states.values()) {
        const last = fresh.filter(({ e }) => e.courseId === state.enrolment.courseId).at(-1)?.e.lessonId;
        await tx
          .update(enrolments)
          .set({ lastActivityAt: now, lastLessonId: last ?? null })
          .where(eq(enrolments.id, state.enrolment.id));
      }
    });
  }
  return {
    results: batch.events.map((e) => results.get(e.id) ?? ({ ...(stored.get(e.id)?.result as ProgressResult), replayed: true } as ProgressResult)),
  };
}

interface Outcome {
  result: Omit<ProgressResult, 'id' | 'replayed'>;
  flagged: boolean;
}

async function apply(tx: Tx, state: EnrolmentState, e: ProgressEvent, now: Date, events: LearningEvent[], notifier?: Notifier): Promise<Outcome> {
  const reject = (reason: string, flagged = false): Outcome => ({
    result: { status: 'rejected', reason, lessonCompleted: Boolean(state.progress.get(e.lessonId)?.completedAt), courseCompleted: Boolean(state.completedAt) },
    flagged,
  });
  const lesson = findLesson(state.doc, e.lessonId);
  if (!lesson) return reject('no such lesson in the version you are enrolled in');
  if (lessonStatuses(state).get(lesson.id) === 'locked') return reject('locked: finish the lessons before this one first');
  const current = state.progress.get(lesson.id);
  let intervals = current?.videoIntervals ?? [];
  let position = current?.videoPosition ?? 0;
  let externalResult = current?.externalResult ?? null;
  let done = false;
  if (e.kind === 'opened') done = lesson.kind === 'text';
  else if (e.kind === 'video') {
    if (lesson.kind !== 'video' || !lesson.video || !e.video) return reject('a video report needs a video lesson and its intervals');
    const problem = checkWatchReport({ intervals: e.video.intervals as Interval[], wallSeconds: e.video.wallSeconds }, lesson.video.durationSeconds);
    if (problem) {
      await tx
        .insert(lessonProgress)
        .values({ enrolmentId: state.enrolment.id, lessonId: lesson.id, openedAt: now, flaggedReports: 1 })
        .onConflictDoUpdate({
          target: [lessonProgress.enrolmentId, lessonProgress.lessonId],
          set: { flaggedReports: sql`${lessonProgress.flaggedReports} + 1` },
        });
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
  const completedAt = current?.completedAt ?? (done ? now : null);
  const [row] = await tx
    .insert(lessonProgress)
    .values({
      enrolmentId: state.enrolment.id,
      lessonId: lesson.id,
      openedAt: now,
      completedAt,
      videoIntervals: intervals,
      videoPosition: position,
      externalResult,
    })
    .onConflictDoUpdate({
      target: [lessonProgress.enrolmentId, lessonProgress.lessonId],
      // completed_at is written once: coalesce keeps the first completion time
      set: {
        completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`,
        videoIntervals: intervals,
        videoPosition: position,
        externalResult,
      },
    })
    .returning();
  if (row) state.progress.set(lesson.id, row);
  const courseCompleted = row?.completedAt ? await completeCourseIfDone(tx, state, completedIds(state), now, events, notifier) : Boolean(state.completedAt);
  return { result: { status: 'accepted', lessonCompleted: Boolean(row?.completedAt), courseCompleted }, flagged: false };
}

function watchedEnough(lesson: Lesson, intervals: Interval[]): boolean {
  if (!lesson.video) return false;
  return (coveredSeconds(intervals) / lesson.video.durationSeconds) * 100 >= lesson.video.watchPercent;
}
