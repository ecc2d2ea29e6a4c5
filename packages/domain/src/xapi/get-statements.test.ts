import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../shared/deps.ts';
import { getStatements } from './get-statements.ts';
import type { LrsPrincipal } from './principal.ts';
import { storeStatements } from './store-statements.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
});
afterAll(async () => h?.close());

const clock = systemClock;
const client: LrsPrincipal = { authorityKey: 'client:q', authority: { mbox: 'mailto:lrs@example.vn' }, scopes: new Set(['all']) };
const statement = (actor: string, object: Record<string, unknown>) => ({
  id: randomUUID(),
  actor: { mbox: actor },
  verb: { id: 'http://adlnet.gov/expapi/verbs/mentored' },
  object,
});

describe('statements by agent', () => {
  it('finds the agent as actor and as object, newest first, once each, across pages', async () => {
    const lan = `mailto:lan.${randomUUID()}@example.vn`;
    const other = `mailto:minh.${randomUUID()}@example.vn`;
    const activity = { id: 'https://hoc.bacninh.vn/xapi/activities/lesson/1' };
    const asActor1 = statement(lan, activity);
    const asObject = statement(other, { objectType: 'Agent', mbox: lan });
    const both = statement(lan, { objectType: 'Agent', mbox: lan });
    const unrelated = statement(other, activity);
    const asActor2 = statement(lan, activity);
    // stored is the writing transaction's start, to the millisecond: a few ms apart keeps the order certain
    for (const s of [asActor1, asObject, both, unrelated, asActor2]) {
      await storeStatements({ db: h.db, clock }, client, s);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }

    const agent = JSON.stringify({ mbox: lan });
    const first = await getStatements({ db: h.db, clock }, client, { agent, limit: '2' }, '/xapi/statements');
    if (first.kind !== 'many') throw new Error('expected a page');
    expect(first.result.statements.map((s) => s.id)).toEqual([asActor2.id, both.id]);
    const cursor = new URLSearchParams(first.result.more.split('?')[1]).get('cursor') as string;
    const second = await getStatements({ db: h.db, clock }, client, { agent, limit: '2', cursor }, '/xapi/statements');
    if (second.kind !== 'many') throw new Error('expected a page');
    expect(second.result.statements.map((s) => s.id)).toEqual([asObject.id, asActor1.id]);
    expect(second.result.more).toBe('');

    const oldestFirst = await getStatements({ db: h.db, clock }, client, { agent, ascending: 'true' }, '/xapi/statements');
    if (oldestFirst.kind !== 'many') throw new Error('expected a page');
    expect(oldestFirst.result.statements.map((s) => s.id)).toEqual([asActor1.id, asObject.id, both.id, asActor2.id]);
  });
});
