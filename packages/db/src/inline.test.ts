import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, queryRows } from './client.ts';
import { inlineText } from './inline.ts';
import { openTestDatabase } from './testing.ts';

let h: DatabaseHandle;
const sent: Array<{ query: string; params: unknown[] }> = [];
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL, { onQuery: (query, params) => sent.push({ query, params }) });
});
afterAll(async () => h?.close());

describe('text written into a statement', () => {
  it('comes back exactly, whatever quotes, dollar tags or backslashes it holds, and is sent with no parameter', async () => {
    const nasty = [
      "it's",
      '$v0$',
      '$v0$ $v1$',
      "'); drop table users; --",
      '\\',
      "\\' E'x'",
      '$$',
      'tiếng Việt ✓',
      '{"a":"$v2$"}',
      'ends in $v0',
      'x$v',
      'x$',
      '$v0',
    ];
    for (const value of nasty) {
      sent.length = 0;
      const [row] = await queryRows<{ v: string }>(h.db, sql`select ${inlineText(value)}::text as v`);
      expect(row?.v).toBe(value);
      expect(sent[0]?.params).toEqual([]);
    }
  });

  it('refuses a NUL character, as PostgreSQL text does', () => {
    expect(() => inlineText('a\u0000b')).toThrow(/NUL/);
  });
});
