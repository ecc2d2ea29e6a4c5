import { queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withoutSecondaryIndexes } from './xapi-sql.ts';

describe('withoutSecondaryIndexes', () => {
  it('puts every index back when the load fails, so a kept database is never left without them', async () => {
    const database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    try {
      const indexes = async () =>
        (await queryRows<{ indexname: string }>(database.db, sql`select indexname from pg_indexes where tablename = 'evidence_chain' order by 1`)).map(
          (r) => r.indexname,
        );
      const before = await indexes();
      expect(before.length).toBeGreaterThan(1);
      let during: string[] = [];
      await expect(
        withoutSecondaryIndexes(
          database.db,
          'evidence_chain',
          () => {},
          async () => {
            during = await indexes();
            throw new Error('the load failed halfway');
          },
        ),
      ).rejects.toThrow('halfway');
      expect(during).toEqual(['evidence_chain_pkey']);
      expect(await indexes()).toEqual(before);
    } finally {
      await database.close();
    }
  });
});
