import { type Db, inlineText, queryRows } from '@hts/db';
import { type SQL, sql } from 'drizzle-orm';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Lock class of the per-learner lock (the second key is the learner's id, hashed). */
export const LEARNER_LOCK = 727_002;

/**
 * The statement taking the per-learner lock for the rest of the transaction. Every writer of a learner's
 * lesson_progress, course completion and enrolment position takes it first (progress batches, quiz submits,
 * completions from LRS statements, moving to a newer version), so any two of them take turns: the second
 * reads its state after the first committed, and the outcome is the one a serial order gives. The learner's
 * id is written into the statement (not a parameter) so a caller may pipeline it with its first read
 * (see recordProgress).
 */
export function learnerLockSql(userId: string): SQL {
  return sql`select pg_advisory_xact_lock(${sql.raw(String(LEARNER_LOCK))}, hashtext(${inlineText(userId)}))`;
}

/** Takes the per-learner lock in this transaction; it is released when the transaction ends. */
export async function lockLearner(tx: Tx | Db, userId: string): Promise<void> {
  await queryRows(tx as unknown as Db, learnerLockSql(userId));
}
