import { type Db, evidenceChain } from '@hts/db';
import { asc, gt } from 'drizzle-orm';
import { entryHash, GENESIS_HASH, payloadHash } from './chain-hash.ts';

export type ChainVerdict = { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; brokenSeq: number; reason: string };

/** Walks the whole chain in order and names the first entry whose sequence, payload or links do not hold. */
export async function verifyChain(db: Db, pageSize = 2000): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .select()
      .from(evidenceChain)
      .where(gt(evidenceChain.seq, expectedSeq - 1))
      .orderBy(asc(evidenceChain.seq))
      .limit(pageSize);
    for (const row of rows) {
      const broken = (reason: string): ChainVerdict => ({ ok: false, entries: expectedSeq - 1, brokenSeq: row.seq, reason });
      if (row.seq !== expectedSeq) return { ok: false, entries: expectedSeq - 1, brokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (payloadHash(row.payload) !== row.payloadHash) return broken('its payload does not match its payload hash');
      if (row.prevHash !== prevHash) return broken("its previous hash does not match the previous entry's hash");
      if (entryHash(row) !== row.entryHash) return broken('its entry hash does not match its contents');
      prevHash = row.entryHash;
      expectedSeq += 1;
    }
    if (rows.length < pageSize) return { ok: true, entries: expectedSeq - 1, lastHash: prevHash };
  }
}
