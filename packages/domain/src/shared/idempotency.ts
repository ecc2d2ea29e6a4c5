import { createHash } from 'node:crypto';
import { type Db, idempotencyKeys } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from './errors.ts';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/**
 * A write with a client-chosen key: the first answer is stored; a replay with the same content gets it
 * back unchanged; the same key with other content is a conflict. Only successful answers are stored, so a
 * client can fix a rejected request and retry with the same key.
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
  const stored = await find(db, input.scope, input.key);
  if (stored) return replay(stored, hash);
  const result = await run();
  const inserted = await db
    .insert(idempotencyKeys)
    .values({
      scope: input.scope,
      key: input.key,
      requestHash: hash,
      statusCode: result.status,
      response: result.body as object,
      expiresAt: new Date(Date.now() + (input.ttlSeconds ?? 86_400) * 1000),
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) {
    const winner = await find(db, input.scope, input.key);
    if (winner) return replay(winner, hash);
  }
  return { ...result, replayed: false };
}

async function find(db: Db, scope: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return row;
}

function replay<T>(row: { requestHash: string; statusCode: number; response: unknown }, hash: string): IdempotentResult<T> {
  if (row.requestHash !== hash) {
    throw new DomainError('conflict', 'this Idempotency-Key was used for a different request', [
      { field: '/headers/idempotency-key', message: 'already used for a different request' },
    ]);
  }
  return { status: row.statusCode, body: row.response as T, replayed: true };
}
