import { randomUUID } from 'node:crypto';
import type { Db, JobRow } from '@hts/db';
import { INDICATORS_REFRESH_JOB, refreshDirtyIndicators } from '../indicators/rollups.ts';
import { systemClock } from '../shared/deps.ts';
import { claimJob, completeJob, enqueueJob, failJob, PermanentJobError, purgeExpiredSessions, reportJobProgress } from './job-queue.ts';

export type JobHandler = (job: JobRow, ctx: { db: Db; progress(percent: number): Promise<void> }) => Promise<void>;

export interface WorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  log: WorkerLog;
  pollMs?: number;
  workerId?: string;
  /** Recurring jobs: enqueued (deduplicated) every `everyMs`. */
  schedules?: Array<{ kind: string; everyMs: number }>;
  /**
   * Subscribes to enqueue notices (DatabaseHandle.listen on JOBS_CHANNEL): an idle loop then claims a new job
   * within milliseconds of its commit instead of at the next poll, which is what keeps a new completion's
   * indicators current within the 2 s the officers are promised. Polling stays as the safety net.
   */
  wakeOn?: (wake: () => void) => Promise<() => Promise<void>>;
}

/** The housekeeping every deployment runs. Other issues add their handlers (transcoding, rollups, …). */
export const coreJobHandlers: Record<string, JobHandler> = {
  'housekeeping.purge': async (_job, { db }) => {
    await purgeExpiredSessions(db, new Date());
  },
  // drains the outbox of communes whose indicators changed (see markIndicatorsDirty)
  [INDICATORS_REFRESH_JOB]: async (_job, { db }) => {
    await refreshDirtyIndicators(db, systemClock);
  },
};
export const coreSchedules = [
  { kind: 'housekeeping.purge', everyMs: 60 * 60 * 1000 },
  // a safety net: a mark made while a refresh was finishing is picked up within a minute at worst
  { kind: INDICATORS_REFRESH_JOB, everyMs: 60 * 1000 },
];

/**
 * Polls the jobs table and runs what it claims, one job at a time per loop. The same loop runs inside
 * the API process in embedded mode and in any number of apps/worker processes in production.
 */
export function startWorkerLoop(options: WorkerOptions): { stop(): Promise<void>; runOnce(): Promise<boolean> } {
  const { db, handlers, log } = options;
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 1000;
  const kinds = Object.keys(handlers);
  let stopped = false;
  let wake: (() => void) | undefined;
  // a notice that arrives while a job runs or a claim is in flight must not be lost to the next sleep
  let signalled = false;
  const onNotice = () => {
    signalled = true;
    wake?.();
  };
  const unsubscribe = options.wakeOn?.(onNotice).catch((error: unknown) => {
    log.error({ err: error }, 'worker: could not listen for new jobs; polling only');
    return async () => {};
  });
  const lastScheduled = new Map<string, number>();

  async function schedule(): Promise<void> {
    const now = Date.now();
    for (const s of options.schedules ?? []) {
      if (now - (lastScheduled.get(s.kind) ?? 0) < s.everyMs) continue;
      lastScheduled.set(s.kind, now);
      await enqueueJob(db, s.kind, {}, { dedupeKey: `schedule:${s.kind}` });
    }
  }

  async function runOnce(): Promise<boolean> {
    const job = await claimJob(db, workerId, kinds);
    if (!job) return false;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job, { db, progress: (p) => reportJobProgress(db, job.id, p) });
      await completeJob(db, job.id);
      log.info({ jobId: job.id, kind: job.kind }, 'job done');
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const outcome = await failJob(db, permanent ? { ...job, maxAttempts: job.attempts } : job, (error as Error).message ?? String(error));
      log.error({ jobId: job.id, kind: job.kind, err: error, outcome }, 'job failed');
    }
    return true;
  }

  const loop = (async () => {
    while (!stopped) {
      signalled = false;
      try {
        await schedule();
        if (await runOnce()) continue;
      } catch (error) {
        log.error({ err: error }, 'worker loop error');
      }
      if (signalled || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    runOnce,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await (await unsubscribe)?.();
    },
  };
}
