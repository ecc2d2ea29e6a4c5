import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../shared/deps.ts';
import { getStatements, POPULAR_TARGETS } from './get-statements.ts';
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

const ids = (answer: Awaited<ReturnType<typeof getStatements>>) => {
  if (answer.kind !== 'many') throw new Error('expected a page');
  return answer.result.statements.map((s) => s.id);
};
const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('statements by related agent or activity', () => {
  it('pages newest first across every place the agent or activity appears; a voided statement is left out and its voiding statement found', async () => {
    const mentor = `mailto:mentor.${randomUUID()}@example.vn`;
    const course = `https://hoc.bacninh.vn/xapi/activities/course/${randomUUID()}`;
    const lesson = { id: 'https://hoc.bacninh.vn/xapi/activities/lesson/2' };
    const asInstructor = { ...statement(`mailto:a.${randomUUID()}@example.vn`, lesson), context: { instructor: { mbox: mentor } } };
    const asParent = { ...statement(`mailto:b.${randomUUID()}@example.vn`, lesson), context: { contextActivities: { parent: [{ id: course }] } } };
    const both = { ...statement(mentor, { id: course }) };
    const voidedOne = { ...statement(mentor, { id: course }) };
    const voiding = {
      id: randomUUID(),
      actor: { mbox: 'mailto:admin@example.vn' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: voidedOne.id },
    };
    for (const s of [asInstructor, asParent, both, voidedOne, voiding]) {
      await storeStatements({ db: h.db, clock }, client, s);
      await pause();
    }
    const deps = { db: h.db, clock };
    const agent = JSON.stringify({ mbox: mentor });
    const first = await getStatements(deps, client, { agent, related_agents: 'true', limit: '2' }, '/xapi/statements');
    // the voiding statement names no mentor: it is found through its target (Communication 2.1.3)
    expect(ids(first)).toEqual([voiding.id, both.id]);
    if (first.kind !== 'many') throw new Error('expected a page');
    const cursor = new URLSearchParams(first.result.more.split('?')[1]).get('cursor') as string;
    expect(ids(await getStatements(deps, client, { agent, related_agents: 'true', cursor }, '/xapi/statements'))).toEqual([asInstructor.id]);
    expect(ids(await getStatements(deps, client, { agent, related_agents: 'true', ascending: 'true' }, '/xapi/statements'))).toEqual([
      asInstructor.id,
      both.id,
      voiding.id,
    ]);
    expect(ids(await getStatements(deps, client, { activity: course, related_activities: 'true' }, '/xapi/statements'))).toEqual([
      voiding.id,
      both.id,
      asParent.id,
    ]);
    // combined with another filter, the related rows still lead and the statement's own columns narrow them
    expect(ids(await getStatements(deps, client, { activity: course, related_activities: 'true', agent }, '/xapi/statements'))).toEqual([voiding.id, both.id]);
  });
});

describe('statements by the target of their StatementRef', () => {
  it('finds a StatementRef by its target whichever of the two is stored first', async () => {
    const learner = `mailto:c.${randomUUID()}@example.vn`;
    const trainer = `mailto:t.${randomUUID()}@example.vn`;
    const early = statement(learner, { id: 'https://hoc.bacninh.vn/xapi/activities/lesson/3' });
    const late = statement(learner, { id: 'https://hoc.bacninh.vn/xapi/activities/lesson/4' });
    const confirmsEarly = statement(trainer, { objectType: 'StatementRef', id: early.id });
    const confirmsLate = statement(trainer, { objectType: 'StatementRef', id: late.id });
    // the target first, then its StatementRef; then a StatementRef to a statement not yet stored
    for (const s of [early, confirmsEarly, confirmsLate, late]) {
      await storeStatements({ db: h.db, clock }, client, s);
      await pause();
    }
    const deps = { db: h.db, clock };
    expect(ids(await getStatements(deps, client, { agent: JSON.stringify({ mbox: learner }) }, '/xapi/statements'))).toEqual([
      late.id,
      confirmsLate.id,
      confirmsEarly.id,
      early.id,
    ]);
    expect(ids(await getStatements(deps, client, { activity: late.object.id as string }, '/xapi/statements'))).toEqual([late.id, confirmsLate.id]);
  });
});

describe('statements by the target of their StatementRef, for a popular activity', () => {
  it('pages every statement and StatementRef of an activity with more targets than the plan switch, newest first, each once', async () => {
    const lesson = { id: `https://hoc.bacninh.vn/xapi/activities/lesson/${randomUUID()}` };
    const trainer = `mailto:t.${randomUUID()}@example.vn`;
    const deps = { db: h.db, clock };
    const count = POPULAR_TARGETS + 10;
    const targets = Array.from({ length: count }, (_, i) => statement(`mailto:hv.${i}.${randomUUID()}@example.vn`, lesson));
    const refs = targets.map((t) => statement(trainer, { objectType: 'StatementRef', id: t.id }));
    // five batches each, so the rows span several stored times; the StatementRefs after all their targets
    const batches = <T>(xs: T[]) => Array.from({ length: 5 }, (_, b) => xs.filter((_, i) => i % 5 === b));
    for (const batch of [...batches(targets), ...batches(refs)]) {
      await storeStatements(deps, client, batch);
      await pause();
    }
    const lastRefs = new Set<string>(batches(refs)[4]?.map((r) => r.id));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await getStatements(deps, client, { activity: lesson.id, limit: '50', ...(cursor ? { cursor } : {}) }, '/xapi/statements');
      if (answer.kind !== 'many') throw new Error('expected a page');
      if (page === 0) expect(answer.result.statements.slice(0, lastRefs.size).every((s) => lastRefs.has(s.id as string))).toBe(true);
      seen.push(...answer.result.statements.map((s) => s.id as string));
      if (!answer.result.more) break;
      cursor = new URLSearchParams(answer.result.more.split('?')[1]).get('cursor') as string;
    }
    expect(seen.length).toBe(2 * count);
    expect(new Set(seen)).toEqual(new Set([...targets, ...refs].map((s) => s.id)));
    // with another filter the StatementRefs' targets must meet both: the trainer's refs name no learner
    const learner = targets[3]?.actor.mbox as string;
    expect(ids(await getStatements(deps, client, { activity: lesson.id, agent: JSON.stringify({ mbox: learner }) }, '/xapi/statements'))).toEqual([
      refs[3]?.id,
      targets[3]?.id,
    ]);
  });
});
