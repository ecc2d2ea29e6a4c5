import { type DatabaseHandle, queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkWrite } from './bulk-write.ts';

describe('bulkWrite', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    await database.db.execute(sql`create table bulk_probe (n int primary key, label text, doc jsonb, at timestamptz)`);
  });
  afterAll(async () => database?.close());

  it('stores text and JSON with tabs, newlines, backslashes, quotes, Vietnamese and nulls exactly as given', async () => {
    const tricky = 'tab\there\nnew line\r\\N back\\slash "quoted" \'single\' Học tập số';
    const doc = { text: tricky, nested: { list: [1, null, 'a\\b'] } };
    await bulkWrite(
      database.db,
      'bulk_probe',
      [
        { name: 'n', type: 'int' },
        { name: 'label', type: 'text' },
        { name: 'doc', type: 'jsonb' },
        { name: 'at', type: 'timestamptz' },
      ],
      [
        [1, tricky, doc, '2026-11-28T01:02:03.456Z'],
        [2, null, null, null],
        [3, '\\N', { empty: '' }, '2025-01-01T00:00:00.000Z'],
      ],
    );
    const rows = await queryRows<{ n: number; label: string | null; doc: unknown; at: string | null }>(
      database.db,
      sql`select n, label, doc, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from bulk_probe order by n`,
    );
    const parsed = rows.map((r) => ({ ...r, doc: typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc }));
    expect(parsed).toEqual([
      { n: 1, label: tricky, doc, at: '2026-11-28T01:02:03.456Z' },
      { n: 2, label: null, doc: null, at: null },
      { n: 3, label: '\\N', doc: { empty: '' }, at: '2025-01-01T00:00:00.000Z' },
    ]);
  });
});
