import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client.ts';
import { openTestDatabase } from './testing.ts';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
}, 60_000);
afterAll(async () => handle?.close());

describe('search support in the database', () => {
  it('folds Vietnamese diacritics and đ, so "ky nang so" matches "Kỹ năng số"', async () => {
    const rows = await queryRows<{ folded: string }>(handle.db, sql`select hts_fold('Kỹ năng số, Đường đến dịch vụ công') as folded`);
    expect(rows[0]?.folded).toBe('ky nang so, duong den dich vu cong');
  });

  it('has trigram similarity available', async () => {
    const rows = await queryRows<{ s: number }>(
      handle.db,
      sql`select similarity('lua dao', 'lừa đảo') as s, word_similarity(hts_fold('lua dao'), hts_fold('phòng tránh lừa đảo')) as w`,
    );
    expect(Number(rows[0]?.s)).toBeGreaterThanOrEqual(0);
  });
});
