import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@hts/db';
import { evidenceChain, xapiStatements } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../evidence/verify-chain.ts';
import { systemClock } from '../shared/deps.ts';
import { getStatements } from './get-statements.ts';
import type { LrsPrincipal } from './principal.ts';
import { storeStatements } from './store-statements.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const deps = () => ({ db: h.db, clock: systemClock });
const client: LrsPrincipal = {
  authorityKey: 'client:test',
  authority: { objectType: 'Agent', account: { homePage: 'https://hoc.bacninh.vn', name: 'test-client' } },
  scopes: new Set(['all']),
};
const completed = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  actor: { mbox: 'mailto:lan@example.vn', name: 'Lan' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { vi: 'đã hoàn thành' } },
  object: { id: 'https://hoc.bacninh.vn/xapi/activities/course/ky-nang-so-1' },
  ...over,
});

describe('storing statements', () => {
  it('stores a batch and answers the ids in order', async () => {
    const batch = [completed(), completed()];
    const ids = await storeStatements(deps(), client, batch);
    expect(ids).toEqual(batch.map((s) => s.id));
  });

  it('treats an identical replay as success and stores one row', async () => {
    const s = completed();
    await storeStatements(deps(), client, s);
    await storeStatements(deps(), client, s);
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, s.id))).toHaveLength(1);
  });

  it('refuses the same id with other content with a conflict and keeps nothing of that batch', async () => {
    const s = completed();
    await storeStatements(deps(), client, s);
    const fresh = completed();
    await expect(storeStatements(deps(), client, [fresh, { ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }])).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, fresh.id))).toHaveLength(0);
  });

  it('leaves one row when two clients post the same id at once', async () => {
    const s = completed();
    const results = await Promise.allSettled([storeStatements(deps(), client, s), storeStatements(deps(), client, s), storeStatements(deps(), client, s)]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, s.id))).toHaveLength(1);
    expect(await h.db.select().from(evidenceChain).where(eq(evidenceChain.subjectId, s.id))).toHaveLength(1);
  });

  // Statements that need nothing after the insert (no completion, voiding, StatementRef or attachment)
  // are written by one INSERT without a transaction: the same guarantees must hold on that path.
  const experienced = () => completed({ verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } });

  it('treats an identical replay of progress statements as success and stores one row', async () => {
    const batch = [experienced(), experienced()];
    await storeStatements(deps(), client, batch);
    expect(await storeStatements(deps(), client, batch)).toEqual(batch.map((s) => s.id));
    expect(
      await h.db
        .select()
        .from(xapiStatements)
        .where(eq(xapiStatements.id, batch[0]?.id as string)),
    ).toHaveLength(1);
  });

  it('refuses a progress batch holding a stored id with other content, and keeps nothing of it', async () => {
    const s = experienced();
    await storeStatements(deps(), client, s);
    const fresh = experienced();
    await expect(storeStatements(deps(), client, [fresh, { ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }])).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, fresh.id))).toHaveLength(0);
  });

  it('leaves one row when two clients post the same progress statement at once, and both succeed', async () => {
    const s = experienced();
    const results = await Promise.allSettled([storeStatements(deps(), client, s), storeStatements(deps(), client, s), storeStatements(deps(), client, s)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, s.id))).toHaveLength(1);
  });

  it('rejects a whole batch when one statement is invalid, naming its field', async () => {
    const good = completed();
    await expect(storeStatements(deps(), client, [good, completed({ verb: { id: 'not an iri' } })])).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: '/body/1/verb/id', message: 'must be an absolute IRI' }],
    });
    expect(await h.db.select().from(xapiStatements).where(eq(xapiStatements.id, good.id))).toHaveLength(0);
  });

  it('appends each new completion to a chain that verifies', async () => {
    await storeStatements(deps(), client, [completed(), completed()]);
    const verdict = await verifyChain(h.db);
    expect(verdict.ok).toBe(true);
    expect(verdict.entries).toBeGreaterThanOrEqual(2);
  });
});

describe('voiding', () => {
  it('hides the voided statement from queries and serves it by voidedStatementId', async () => {
    const target = completed();
    await storeStatements(deps(), client, target);
    await storeStatements(deps(), client, {
      actor: { mbox: 'mailto:admin@example.vn' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target.id },
    });
    await expect(getStatements(deps(), client, { statementId: target.id }, '/xapi/statements')).rejects.toMatchObject({ code: 'not_found' });
    const voided = await getStatements(deps(), client, { voidedStatementId: target.id }, '/xapi/statements');
    expect(voided.kind === 'one' && voided.statement.id).toBe(target.id);
  });

  it('refuses to void a voiding statement', async () => {
    const target = completed();
    await storeStatements(deps(), client, target);
    const voiding = {
      id: randomUUID(),
      actor: { mbox: 'mailto:a@example.vn' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target.id },
    };
    await storeStatements(deps(), client, voiding);
    await expect(
      storeStatements(deps(), client, {
        actor: { mbox: 'mailto:a@example.vn' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: voiding.id },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('querying', () => {
  it('pages by keyset with a more link until every matching statement was seen once', async () => {
    const activity = `https://hoc.bacninh.vn/xapi/activities/lesson/${randomUUID()}`;
    const batch = Array.from({ length: 7 }, () => completed({ object: { id: activity } }));
    await storeStatements(deps(), client, batch);
    const seen: string[] = [];
    let q: Record<string, string> = { activity, limit: '3' };
    for (let page = 0; page < 5; page++) {
      const answer = await getStatements(deps(), client, q, '/xapi/statements');
      if (answer.kind !== 'many') throw new Error('expected a page');
      seen.push(...answer.result.statements.map((s) => s.id as string));
      if (!answer.result.more) break;
      q = Object.fromEntries(new URL(answer.result.more, 'http://x').searchParams);
    }
    expect(seen.sort()).toEqual(batch.map((s) => s.id).sort());
  });

  it('lets a caller with read-mine see only what it wrote', async () => {
    const other: LrsPrincipal = { ...client, authorityKey: 'client:other', scopes: new Set(['statements/write', 'statements/read/mine']) };
    const theirs = completed();
    await storeStatements(deps(), other, theirs);
    const mine = await getStatements(deps(), other, { verb: 'http://adlnet.gov/expapi/verbs/completed' }, '/xapi/statements');
    expect(mine.kind === 'many' && mine.result.statements.map((s) => s.id)).toEqual([theirs.id]);
  });
});
