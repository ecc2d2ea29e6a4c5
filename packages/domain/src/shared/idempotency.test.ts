import type { DatabaseHandle } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { withIdempotency } from './idempotency.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const slow = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idempotent writes', () => {
  it('runs the use case once when two requests with one key arrive together', async () => {
    let runs = 0;
    const run = async () => {
      runs += 1;
      await slow(200);
      return { status: 201, body: { id: `user-${runs}` } };
    };
    const input = { scope: 'test-concurrent', key: 'key-concurrent-1', request: { email: 'a@example.vn' } };
    const [a, b] = await Promise.all([withIdempotency(h.db, input, run), withIdempotency(h.db, input, run)]);
    expect(runs).toBe(1);
    expect(a.body).toEqual({ id: 'user-1' });
    expect(b.body).toEqual({ id: 'user-1' });
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
  });

  it('answers 409 to the same key with other content, even while the first request still runs', async () => {
    const input = { scope: 'test-other', key: 'key-other-1', request: { n: 1 } };
    const first = withIdempotency(h.db, input, async () => {
      await slow(150);
      return { status: 200, body: { ok: true } };
    });
    await slow(30);
    await expect(withIdempotency(h.db, { ...input, request: { n: 2 } }, async () => ({ status: 200, body: { ok: false } }))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await first).replayed).toBe(false);
  });

  it('releases the key when the use case fails, so a corrected retry runs', async () => {
    const input = { scope: 'test-fail', key: 'key-fail-1', request: { n: 1 } };
    await expect(
      withIdempotency(h.db, input, async () => {
        throw new DomainError('validation_failed', 'bad');
      }),
    ).rejects.toBeInstanceOf(DomainError);
    const retry = await withIdempotency(h.db, input, async () => ({ status: 201, body: { done: 1 } }));
    expect(retry).toEqual({ status: 201, body: { done: 1 }, replayed: false });
    const replay = await withIdempotency(h.db, input, async () => ({ status: 201, body: { done: 2 } }));
    expect(replay).toEqual({ status: 201, body: { done: 1 }, replayed: true });
  });
});
