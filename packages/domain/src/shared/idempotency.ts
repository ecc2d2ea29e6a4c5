import { createHash } from 'node:crypto';
import { type Db, idempotencyKeys } from '@hts/db';
import { and, eq, lt } from 'drizzle-orm';
import { DomainError } from './errors.ts';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/** statusCode of a key reserved by a request that is still running. */
const IN_PROGRESS = 0;
/** A reservation older than this is taken to belong to a process that died mid-request, and is taken over. */
const ABANDONED_AFTER_MS = 60_000;
/** How long a request waits for another one with the same key to finish before answering 409. */
const WAIT_FOR_OTHER_MS = 10_000;

/**
 * A write with a client-chosen key: the first answer is stored; a replay with the same content gets it
 * back unchanged; the same key with other content is a conflict. Only successful answers are stored, so a
 * client can fix a rejected request and retry with the same key.
 *
 * The key is reserved before the write runs (an insert that only one request can win), so two requests
 * with one key arriving together run the write once: the other waits for the first answer and replays it.
 */
export async function withIdempotency<T>(
  db: Db,
  input: { scope: string; key: string; request: unknown; ttlSeconds?: number },
  run: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  if (!/^[A-Za-z0-9._:-]{8,128}$/.test(input.key)) {
    throw new DomainError('validation_failed', 'Idempotency-Key must be 8 to 128 letters, digits or . _ : -', [
      { field: '/headers/idempotency-key', message: 'must be 8 to 128 letters, digits or . _ : -' },
    ]);
  }
  const hash = requestHash(input.request);
  const expiresAt = () => new Date(Date.now() + (input.ttlSeconds ?? 86_400) * 1000);
  const where = and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key));
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  for (;;) {
    const reserved = await db
      .insert(idempotencyKeys)
      .values({ scope: input.scope, key: input.key, requestHash: hash, statusCode: IN_PROGRESS, response: null, expiresAt: expiresAt() })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (reserved.length > 0) break;
    const stored = await find(db, input.scope, input.key);
    if (!stored) continue; // released by a failed request just now: try to reserve again
    if (stored.requestHash !== hash) throw conflict();
    if (stored.statusCode !== IN_PROGRESS) return replay(stored, hash);
    // another request with this key is running: take over only a reservation its process abandoned
    const [taken] = await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(), expiresAt: expiresAt() })
      .where(and(where, eq(idempotencyKeys.statusCode, IN_PROGRESS), lt(idempotencyKeys.createdAt, new Date(Date.now() - ABANDONED_AFTER_MS))))
      .returning({ key: idempotencyKeys.key });
    if (taken) break;
    if (Date.now() > deadline)
      throw new DomainError('conflict', 'a request with this Idempotency-Key is still being processed; try again shortly', [
        { field: '/headers/idempotency-key', message: 'still in progress' },
      ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let result: { status: number; body: T };
  try {
    result = await run();
  } catch (err) {
    // a rejected request stores nothing: release the key so a corrected retry can use it
    await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.statusCode, IN_PROGRESS)));
    throw err;
  }
  await db
    .update(idempotencyKeys)
    .set({ statusCode: result.status, response: result.body as object })
    .where(where);
  return { ...result, replayed: false };
}

async function find(db: Db, scope: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return row;
}

const conflict = () =>
  new DomainError('conflict', 'this Idempotency-Key was used for a different request', [
    { field: '/headers/idempotency-key', message: 'already used for a different request' },
  ]);

function replay<T>(row: { requestHash: string; statusCode: number; response: unknown }, hash: string): IdempotentResult<T> {
  if (row.requestHash !== hash) throw conflict();
  return { status: row.statusCode, body: row.response as T, replayed: true };
}
