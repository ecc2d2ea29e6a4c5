import { type Db, externalLaunches } from '@hts/db';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { JobHandler } from '../jobs/worker-loop.ts';
import { type Clock, systemClock } from '../shared/deps.ts';
import { type LearningEvent, previewExtension, recordLearningEvents } from '../xapi/platform-events.ts';

/** The job that ends sessions past their lifetime (scheduled; any worker may run it). */
export const ABANDON_LAUNCHES_JOB = 'launches.abandon';
/** Ended sessions are kept this long (the LRS keeps their statements for good), then removed. */
export const ENDED_LAUNCHES_KEPT_DAYS = 90;

/**
 * cmi5 §9.3.8: a session that ends without the activity's "terminated" is abandoned, and the LMS says so.
 * A session is past its lifetime when its fetch URL expired unused (the frame never started) or its token
 * expired: the launch is closed (its token and fetch URL stop working) and the platform writes "abandoned"
 * with the session's duration (from the token's fetch to its last statement) through the LRS write path,
 * in the same transaction, so a session is never closed without its statement nor written twice (the
 * update is conditional and the statement id fixed). Ended sessions older than ENDED_LAUNCHES_KEPT_DAYS
 * are removed. Run by the job queue (ABANDON_LAUNCHES_JOB), never on a request's path.
 */
export async function abandonExpiredLaunches(
  deps: { db: Db; clock: Clock },
  homePage: string,
  options: { batch?: number } = {},
): Promise<{ abandoned: number; removed: number }> {
  const now = deps.clock.now();
  const due = await deps.db
    .select({ id: externalLaunches.id })
    .from(externalLaunches)
    .where(
      and(
        isNull(externalLaunches.endedAt),
        or(
          and(isNull(externalLaunches.fetchedAt), lt(externalLaunches.fetchBy, now)),
          and(isNotNull(externalLaunches.fetchedAt), lt(externalLaunches.expiresAt, now)),
        ),
      ),
    )
    .limit(options.batch ?? 500);
  let abandoned = 0;
  for (const { id } of due) {
    abandoned += await deps.db.transaction(async (tx) => {
      const [ended] = await tx
        .update(externalLaunches)
        .set({ endedAt: now, endedAs: 'abandoned' })
        .where(and(eq(externalLaunches.id, id), isNull(externalLaunches.endedAt)))
        .returning();
      if (!ended) return 0; // "terminated" arrived meanwhile, or another worker got here first
      const started = ended.fetchedAt;
      const last = ended.lastStatementAt ?? started;
      const event: LearningEvent = {
        kind: 'cmi5',
        eventId: `cmi5-abandoned:${ended.id}`,
        userId: ended.userId,
        verb: 'abandoned',
        object: { id: ended.activityId },
        auActivityId: ended.activityId,
        registration: ended.enrolmentId ?? ended.id,
        sessionId: ended.id,
        durationSeconds: started && last ? Math.max(0, (last.getTime() - started.getTime()) / 1000) : 0,
        ...(ended.preview ? { extensions: { [previewExtension(homePage)]: true } } : {}),
        at: now,
      };
      await recordLearningEvents({ db: tx as unknown as Db, clock: deps.clock, baseIri: homePage }, [event]);
      return 1;
    });
  }
  const removed = await deps.db
    .delete(externalLaunches)
    .where(lt(externalLaunches.endedAt, new Date(now.getTime() - ENDED_LAUNCHES_KEPT_DAYS * 24 * 3600 * 1000)))
    .returning({ id: externalLaunches.id });
  return { abandoned, removed: removed.length };
}

/** The handler of ABANDON_LAUNCHES_JOB; `homePage` is the platform's public address (PUBLIC_URL). */
export function launchJobHandlers(settings: { homePage: string; clock?: Clock }): Record<string, JobHandler> {
  return {
    [ABANDON_LAUNCHES_JOB]: async (_job, { db }) => {
      // a full batch may leave more: run again until the queue of due sessions is empty
      while ((await abandonExpiredLaunches({ db, clock: settings.clock ?? systemClock }, settings.homePage)).abandoned >= 500);
    },
  };
}
/** Every five minutes: a session is abandoned within five minutes of the end of its lifetime. */
export const launchSchedules = [{ kind: ABANDON_LAUNCHES_JOB, everyMs: 5 * 60 * 1000 }];
