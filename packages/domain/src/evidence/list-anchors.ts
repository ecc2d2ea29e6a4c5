import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';

export interface DailyAnchor {
  day: string;
  lastSeq: number;
  entryHash: string;
}

/** The published daily anchors, newest first: the hash of the last chain entry of each UTC day. */
export async function listAnchors(db: Db, limit = 30): Promise<DailyAnchor[]> {
  const rows = await queryRows<{ day: string | Date; last_seq: string | number; entry_hash: string }>(
    db,
    sql`select day::text as day, last_seq, entry_hash from evidence_daily_anchors order by day desc limit ${limit}`,
  );
  return rows.map((r) => ({ day: String(r.day), lastSeq: Number(r.last_seq), entryHash: r.entry_hash }));
}
