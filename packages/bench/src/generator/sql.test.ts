import { openDatabase, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { syntheticId, syntheticIdSql, uniform, weightedIndex } from './sql.ts';

describe('generator SQL fragments', () => {
  it('draws in [0, 1) for int4 row numbers past the point where n × 40503 overflows int4', async () => {
    const database = await openDatabase({ migrate: false });
    try {
      const rows = await queryRows<{ u: number; i: number; id: string }>(
        database.db,
        sql.raw(`select ${uniform('x.n', 7, 1)} as u, ${weightedIndex(uniform('x.n', 7, 2), [1, 1, 1])} as i, ${syntheticIdSql(1, 7, 'x.n')}::text as id
                 from (values (1), (3600001), (2000000000)) as x(n)`),
      );
      for (const r of rows) {
        expect(r.u).toBeGreaterThanOrEqual(0);
        expect(r.u).toBeLessThan(1);
        expect([0, 1, 2]).toContain(r.i);
      }
      expect(rows[1]?.id).toBe(syntheticId(1, 7, 3600001));
    } finally {
      await database.close();
    }
  });
});
