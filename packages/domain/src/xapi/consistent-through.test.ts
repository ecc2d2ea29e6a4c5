import { randomUUID } from 'node:crypto';
import type { DatabaseHandle, Db } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../shared/deps.ts';
import { getStatements, statementsConsistentThrough } from './get-statements.ts';
import type { LrsPrincipal } from './principal.ts';
import { storeStatements } from './store-statements.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const client: LrsPrincipal = { authorityKey: 'client:ct', authority: { mbox: 'mailto:lrs@example.vn' }, scopes: new Set(['all']) };
const statement = () => ({
  id: randomUUID(),
  actor: { mbox: 'mailto:lan@example.vn' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: 'https://hoc.bacninh.vn/xapi/activities/lesson/ct' },
});
const storedOf = async (id: string) => {
  const answer = await getStatements({ db: h.db, clock: systemClock }, client, { statementId: id }, '/xapi/statements');
  if (answer.kind !== 'one') throw new Error('expected one statement');
  return Date.parse(answer.statement.stored as string);
};

describe('X-Experience-API-Consistent-Through', () => {
  it('covers a statement committed before it, and is never in the future', async () => {
    const s = statement();
    await storeStatements({ db: h.db, clock: systemClock }, client, s);
    const through = Date.parse(await statementsConsistentThrough(h.db));
    expect(await storedOf(s.id)).toBeLessThanOrEqual(through);
    expect(through).toBeLessThanOrEqual(Date.now());
  });

  // PGlite runs one transaction at a time, so a write cannot be in flight beside a read there.
  it.runIf(process.env.TEST_DATABASE_URL)('stays before the stored time of a statement whose transaction has not committed yet', async () => {
    const s = statement();
    let inFlight!: () => void;
    const written = new Promise<void>((resolve) => {
      inFlight = resolve;
    });
    let commit!: () => void;
    const release = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const writer = h.db.transaction(async (tx) => {
      await storeStatements({ db: tx as unknown as Db, clock: systemClock }, client, s);
      inFlight();
      await release;
    });
    await written;
    // the writer's clock moves on while it has not committed: a naive "now" would claim its statement
    await new Promise((resolve) => setTimeout(resolve, 20));
    const through = Date.parse(await statementsConsistentThrough(h.db));
    commit();
    await writer;
    expect(through).toBeLessThan(await storedOf(s.id));
  });
});
