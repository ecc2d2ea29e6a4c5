import { type Db, idempotencyKeys, type JobRow, jobs, queryRows, refreshTokens } from '@hts/db';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** While a job with this key is queued or running, enqueueing another one is a no-op. */
  dedupeKey?: string;
  /**
   * Dedupe against queued jobs only: for a job that drains a queue of its own in a loop (indicators.refresh), a
   * change committed while it runs, after its last look, needs a new job, or it would wait for the schedule.
   */
  dedupeQueuedOnly?: boolean;
}

/** Workers LISTEN here; every enqueue NOTIFYs it, delivered when the enqueuing transaction commits. */
export const JOBS_CHANNEL = 'hts_jobs';

export async function enqueueJob(db: Db, kind: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string | null> {
  if (options.dedupeKey) {
    const [pending] = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.dedupeKey, options.dedupeKey), inArray(jobs.status, options.dedupeQueuedOnly ? ['queued'] : ['queued', 'running'])))
      .limit(1);
    if (pending) return null;
  }
  // the NOTIFY wakes an idle worker at once instead of at its next poll; a rolled-back enqueue sends nothing
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`with ins as (
          insert into ${jobs} (kind, payload, run_at, max_attempts, dedupe_key)
          values (${kind}, ${JSON.stringify(payload)}::jsonb, coalesce(${options.runAt?.toISOString() ?? null}::timestamptz, now()), ${options.maxAttempts ?? 3}, ${options.dedupeKey ?? null})
          returning id)
        select id, pg_notify(${JOBS_CHANNEL}, ${kind}) from ins`,
  );
  return row?.id ?? null;
}

/**
 * Claims the oldest due job. FOR UPDATE SKIP LOCKED lets any number of workers poll the same table
 * without taking the same job; a job whose worker died (locked long ago, still running) is claimable again.
 */
export async function claimJob(db: Db, workerId: string, kinds: string[], staleAfterSeconds = 600): Promise<JobRow | null> {
  if (kinds.length === 0) return null;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update ${jobs} set status = 'running', attempts = ${jobs.attempts} + 1, locked_at = now(), locked_by = ${workerId}, updated_at = now()
        where ${jobs.id} = (
          select id from ${jobs}
          where kind in (${sql.join(
            kinds.map((k) => sql`${k}`),
            sql`, `,
          )})
            and ((status = 'queued' and run_at <= now())
              or (status = 'running' and locked_at < now() - make_interval(secs => ${staleAfterSeconds})))
          order by run_at
          for update skip locked
          limit 1)
        returning ${jobs.id} as id`,
  );
  const id = rows[0]?.id;
  if (!id) return null;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job ?? null;
}

export async function completeJob(db: Db, jobId: string): Promise<void> {
  await db.update(jobs).set({ status: 'done', progress: 100, lockedAt: null, updatedAt: new Date() }).where(eq(jobs.id, jobId));
}

/**
 * Also a heartbeat: a running job whose lock is older than `staleAfterSeconds` is taken over by another
 * worker, so a long job (a transcode of a long video) that reports progress keeps its lock fresh.
 */
export async function reportJobProgress(db: Db, jobId: string, percent: number): Promise<void> {
  await db
    .update(jobs)
    .set({ progress: Math.max(0, Math.min(100, Math.round(percent))), lockedAt: sql`now()`, updatedAt: new Date() })
    .where(eq(jobs.id, jobId));
}

/** Thrown by a job handler for a failure no retry can fix: the job fails at once, with the reason, instead of being retried. */
export class PermanentJobError extends Error {}

/** Retries with exponential backoff until maxAttempts; then the job stays failed with its reason. */
export async function failJob(db: Db, job: Pick<JobRow, 'id' | 'attempts' | 'maxAttempts'>, reason: string): Promise<'retry' | 'failed'> {
  const retry = job.attempts < job.maxAttempts;
  const backoffSeconds = 2 ** job.attempts * 5;
  await db
    .update(jobs)
    .set({
      status: retry ? 'queued' : 'failed',
      lastError: reason.slice(0, 2000),
      lockedAt: null,
      lockedBy: null,
      runAt: retry ? new Date(Date.now() + backoffSeconds * 1000) : undefined,
      updatedAt: new Date(),
    })
    .where(eq(jobs.id, job.id));
  return retry ? 'retry' : 'failed';
}

/** Housekeeping: expired refresh tokens and idempotency keys are of no use to anyone. */
export async function purgeExpiredSessions(db: Db, now: Date): Promise<{ refreshTokens: number; idempotencyKeys: number }> {
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  const tokens = await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, weekAgo)).returning({ id: refreshTokens.id });
  const keys = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
  return { refreshTokens: tokens.length, idempotencyKeys: keys.length };
}
