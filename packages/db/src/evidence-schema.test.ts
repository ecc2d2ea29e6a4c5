import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, queryRows } from './client.ts';
import { evidenceChain, xapiStatements } from './schema/index.ts';
import { openTestDatabase } from './testing.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => handle?.close());

const entry = (seq: number, createdAt: string) => ({
  seq,
  kind: 'test',
  subjectId: `s${seq}`,
  payload: { n: seq },
  payloadHash: `p${seq}`,
  prevHash: `h${seq - 1}`,
  entryHash: `h${seq}`,
  createdAt: new Date(createdAt),
});

describe('evidence chain table', () => {
  it('accepts appends and rejects UPDATE, DELETE and TRUNCATE', async () => {
    await handle.db.insert(evidenceChain).values([entry(1, '2026-01-01T10:00:00Z'), entry(2, '2026-01-01T23:00:00Z'), entry(3, '2026-01-02T01:00:00Z')]);
    await expect(handle.db.execute(sql`update evidence_chain set kind = 'x' where seq = 1`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from evidence_chain where seq = 1`)).rejects.toThrow();
    await expect(handle.db.execute(sql`truncate evidence_chain`)).rejects.toThrow();
  });

  it('publishes the hash of the last entry of each UTC day as the daily anchor', async () => {
    const anchors = await queryRows<{ day: unknown; last_seq: string | number; entry_hash: string }>(
      handle.db,
      sql`select day, last_seq, entry_hash from evidence_daily_anchors order by day`,
    );
    expect(anchors.map((a) => [Number(a.last_seq), a.entry_hash])).toEqual([
      [2, 'h2'],
      [3, 'h3'],
    ]);
  });
});

describe('xapi statements table', () => {
  it('keeps one row per statement id when the same id is inserted twice', async () => {
    const row = {
      id: '8f1c3a52-1d9e-4a57-9a1b-0c1d2e3f4a5b',
      statement: {},
      contentHash: 'h',
      stored: new Date(),
      timestamp: new Date(),
      verbId: 'http://adlnet.gov/expapi/verbs/completed',
      relatedAgents: [],
      relatedActivities: [],
      authorityKey: 'client:x',
    };
    await handle.db.insert(xapiStatements).values(row).onConflictDoNothing();
    const second = await handle.db.insert(xapiStatements).values(row).onConflictDoNothing().returning({ id: xapiStatements.id });
    expect(second).toEqual([]);
  });
});
