import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@hts/db';
import { xapiStatements } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../evidence/verify-chain.ts';
import { systemClock } from '../shared/deps.ts';
import type { LrsPrincipal } from './principal.ts';
import { createStatementWriter } from './statement-writer.ts';
import { storeStatements } from './store-statements.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const client: LrsPrincipal = { authorityKey: 'client:w', authority: { mbox: 'mailto:lrs@example.vn' }, scopes: new Set(['all']) };
const completed = (verb = 'completed') => ({
  id: randomUUID(),
  actor: { mbox: 'mailto:lan@example.vn' },
  verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
  object: { id: `https://hoc.bacninh.vn/xapi/activities/lesson/${randomUUID()}` },
});

describe('group commit across concurrent requests', () => {
  it('stores every batch of many concurrent requests, keeping the chain whole', async () => {
    const deps = { db: h.db, clock: systemClock, writer: createStatementWriter({ db: h.db, clock: systemClock }) };
    const batches = Array.from({ length: 20 }, () => [completed(), completed()]);
    await Promise.all(batches.map((b) => storeStatements(deps, client, b)));
    const ids = batches.flat().map((s) => s.id);
    expect(await h.db.select({ id: xapiStatements.id }).from(xapiStatements).where(inArray(xapiStatements.id, ids))).toHaveLength(ids.length);
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  // completions go through a transaction (the evidence chain); progress statements through one INSERT first
  it.each(['completed', 'experienced'])(
    'rejects only the conflicting request of a group of %s statements; the others and a replay are stored',
    async (verb) => {
      const deps = { db: h.db, clock: systemClock, writer: createStatementWriter({ db: h.db, clock: systemClock }) };
      const existing = completed(verb);
      await storeStatements(deps, client, existing);
      const conflicting = [completed(verb), { ...existing, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }];
      const good = [completed(verb)];
      const results = await Promise.allSettled([
        storeStatements(deps, client, conflicting),
        storeStatements(deps, client, good),
        storeStatements(deps, client, existing),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', details: [{ field: '/body/1/id' }] });
      const stored = await h.db
        .select({ id: xapiStatements.id })
        .from(xapiStatements)
        .where(inArray(xapiStatements.id, [conflicting[0]?.id as string, good[0]?.id as string]));
      expect(stored.map((r) => r.id)).toEqual([good[0]?.id]);
    },
  );

  it.each(['completed', 'experienced'])('leaves one row when two requests in one group carry the same %s statement', async (verb) => {
    const deps = { db: h.db, clock: systemClock, writer: createStatementWriter({ db: h.db, clock: systemClock }) };
    const s = completed(verb);
    await Promise.all([storeStatements(deps, client, [completed(verb)]), storeStatements(deps, client, s), storeStatements(deps, client, s)]);
    expect(
      await h.db
        .select()
        .from(xapiStatements)
        .where(inArray(xapiStatements.id, [s.id])),
    ).toHaveLength(1);
  });
});
