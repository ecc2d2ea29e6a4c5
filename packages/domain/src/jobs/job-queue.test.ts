import type { DatabaseHandle } from '@hts/db';
import { jobs } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob, enqueueJob, failJob, JOBS_CHANNEL, reportJobProgress } from './job-queue.ts';
import { startWorkerLoop } from './worker-loop.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const quietLog = { info: () => {}, error: () => {} };

describe('job queue', () => {
  it('gives a job to one claimer only', async () => {
    await enqueueJob(h.db, 'test.once', { n: 1 });
    const [a, b] = await Promise.all([claimJob(h.db, 'w1', ['test.once']), claimJob(h.db, 'w2', ['test.once'])]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
  });

  it('does not queue a second job with the same dedupe key while one is pending', async () => {
    expect(await enqueueJob(h.db, 'test.dedupe', {}, { dedupeKey: 'k' })).not.toBeNull();
    expect(await enqueueJob(h.db, 'test.dedupe', {}, { dedupeKey: 'k' })).toBeNull();
  });

  it('retries a failed job later and marks it failed after the last attempt, keeping the reason', async () => {
    const id = (await enqueueJob(h.db, 'test.fail', {}, { maxAttempts: 2 })) as string;
    const first = await claimJob(h.db, 'w', ['test.fail']);
    expect(await failJob(h.db, first as NonNullable<typeof first>, 'ffmpeg said no')).toBe('retry');
    await h.db
      .update(jobs)
      .set({ runAt: new Date(0) })
      .where(eq(jobs.id, id));
    const second = await claimJob(h.db, 'w', ['test.fail']);
    expect(second?.attempts).toBe(2);
    expect(await failJob(h.db, second as NonNullable<typeof second>, 'ffmpeg said no again')).toBe('failed');
    const [row] = await h.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ status: 'failed', lastError: 'ffmpeg said no again' });
  });

  it('keeps a long job that reports progress from being taken over by another worker', async () => {
    const id = (await enqueueJob(h.db, 'test.long', {})) as string;
    await claimJob(h.db, 'w1', ['test.long']);
    await h.db
      .update(jobs)
      .set({ lockedAt: new Date(Date.now() - 3600_000) })
      .where(eq(jobs.id, id));
    await reportJobProgress(h.db, id, 40);
    expect(await claimJob(h.db, 'w2', ['test.long'], 600)).toBeNull();
  });

  it('runs queued jobs through their handler in the worker loop and marks them done', async () => {
    const seen: unknown[] = [];
    const id = (await enqueueJob(h.db, 'test.loop', { hello: 'xã Đại Sơn' })) as string;
    const worker = startWorkerLoop({
      db: h.db,
      log: quietLog,
      pollMs: 20,
      handlers: {
        'test.loop': async (job, ctx) => {
          seen.push(job.payload);
          await ctx.progress(50);
        },
      },
    });
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(seen).toEqual([{ hello: 'xã Đại Sơn' }]);
    const [row] = await h.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row?.status).toBe('done');
  });

  it('wakes an idle worker when a job is enqueued, without waiting for its next poll', async () => {
    const ran: string[] = [];
    const worker = startWorkerLoop({
      db: h.db,
      log: quietLog,
      // a poll this slow would time the test out: only the NOTIFY can bring the job in
      pollMs: 600_000,
      wakeOn: (wake) => h.listen(JOBS_CHANNEL, wake),
      handlers: { 'test.wake': async (job) => void ran.push(job.id) },
    });
    try {
      // let the loop find the queue empty and fall asleep first
      await new Promise((r) => setTimeout(r, 200));
      const id = (await enqueueJob(h.db, 'test.wake', {})) as string;
      for (let i = 0; i < 250 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(ran).toEqual([id]);
    } finally {
      await worker.stop();
    }
  });

  it('sends no wake-up for an enqueue whose transaction rolls back', async () => {
    const notices: string[] = [];
    const stop = await h.listen(JOBS_CHANNEL, (kind) => notices.push(kind));
    try {
      await h.db
        .transaction(async (tx) => {
          await enqueueJob(tx as unknown as typeof h.db, 'test.rolled-back', {});
          throw new Error('roll back');
        })
        .catch(() => {});
      await enqueueJob(h.db, 'test.committed', {});
      for (let i = 0; i < 100 && !notices.includes('test.committed'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(notices).toContain('test.committed');
      expect(notices).not.toContain('test.rolled-back');
    } finally {
      await stop();
    }
  });

  it('queues a new drain job while the previous one runs when asked to dedupe against queued jobs only', async () => {
    expect(await enqueueJob(h.db, 'test.drain', {}, { dedupeKey: 'drain', dedupeQueuedOnly: true })).not.toBeNull();
    expect(await enqueueJob(h.db, 'test.drain', {}, { dedupeKey: 'drain', dedupeQueuedOnly: true })).toBeNull();
    await claimJob(h.db, 'w', ['test.drain']);
    expect(await enqueueJob(h.db, 'test.drain', {}, { dedupeKey: 'drain', dedupeQueuedOnly: true })).not.toBeNull();
  });
});
