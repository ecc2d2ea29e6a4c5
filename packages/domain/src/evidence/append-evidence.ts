import { type Db, evidenceChain } from '@hts/db';
import { desc, sql } from 'drizzle-orm';
import { entryHash, GENESIS_HASH, payloadHash } from './chain-hash.ts';

export interface EvidenceInput {
  /** e.g. `xapi.completion`, `credential.issue`, `credential.revoke`, `title.approve`. */
  kind: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

// Any constant; only appenders take it, so they queue one after another and seq never has a gap.
const CHAIN_LOCK = 727_005;

/**
 * Appends entries to the hash chain inside the caller's transaction: the entry commits (or not) with the
 * fact it records. A transaction-scoped advisory lock serialises appenders, so `seq` is gapless.
 */
export async function appendEvidence(tx: Pick<Db, 'execute' | 'select' | 'insert'>, entries: readonly EvidenceInput[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [last] = await tx.select({ seq: evidenceChain.seq, entryHash: evidenceChain.entryHash }).from(evidenceChain).orderBy(desc(evidenceChain.seq)).limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.entryHash ?? GENESIS_HASH;
  // Milliseconds only: what a timestamp(3) column gives back, so the hash recomputes from the row.
  const createdAt = new Date(Math.floor(now.getTime()));
  const rows = entries.map((e) => {
    seq += 1;
    const fields = { seq, kind: e.kind, subjectId: e.subjectId, payloadHash: payloadHash(e.payload), prevHash, createdAt };
    const row = { ...fields, payload: e.payload, entryHash: entryHash(fields) };
    prevHash = row.entryHash;
    return row;
  });
  await tx.insert(evidenceChain).values(rows);
}
