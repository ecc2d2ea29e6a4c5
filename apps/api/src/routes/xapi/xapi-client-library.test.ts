import { randomUUID } from 'node:crypto';
import XAPI, { type Statement, type StatementsResponse } from '@xapi/xapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { lrsClient } from './lrs-test-kit.ts';

/** The LRS as a third-party xAPI client sees it: @xapi/xapi from the npm registry, over real HTTP. */
let t: TestApp;
let xapi: XAPI;
beforeAll(async () => {
  t = await createTestApp();
  const { key, secret } = await lrsClient(t.app);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  xapi = new XAPI({ endpoint: `http://127.0.0.1:${port}/xapi/`, auth: XAPI.toBasicAuth(key, secret), version: '1.0.3' });
}, 60_000);
afterAll(async () => t?.close());

const learner = { objectType: 'Agent' as const, name: 'Trần Văn Minh', mbox: `mailto:minh.${randomUUID()}@example.vn` };
const lesson = (n: number): Statement => ({
  actor: learner,
  verb: XAPI.Verbs.COMPLETED,
  object: { objectType: 'Activity', id: `https://hoc.bacninh.vn/xapi/activities/lesson/${n}`, definition: { name: { 'vi-VN': `Bài ${n}` } } },
  result: { completion: true, success: true, score: { scaled: 0.8 }, duration: 'PT12M' },
});

describe('@xapi/xapi against the LRS', () => {
  it('reads About', async () => {
    const about = await xapi.getAbout();
    expect(about.data.version).toContain('1.0.3');
  });

  it('sends statements, queries them back by agent and pages through more', async () => {
    const sent = await xapi.sendStatements({ statements: [lesson(1), lesson(2), lesson(3)] });
    expect(sent.data).toHaveLength(3);
    const first = await xapi.getStatements({ agent: learner, limit: 2 });
    expect(first.data.statements).toHaveLength(2);
    expect(first.data.more).toBeTruthy();
    const rest = (await xapi.getMoreStatements({ more: first.data.more as string })).data as StatementsResponse;
    const ids = [...first.data.statements, ...rest.statements].map((s) => s.id);
    expect(ids.sort()).toEqual([...sent.data].sort());
  });

  it('voids a statement: it leaves queries and is served as voided', async () => {
    const [id] = (await xapi.sendStatement({ statement: lesson(4) })).data as [string];
    await xapi.voidStatement({ actor: learner, statementId: id });
    const voided = await xapi.getVoidedStatement({ voidedStatementId: id });
    expect(voided.data.id).toBe(id);
    await expect(xapi.getStatement({ statementId: id })).rejects.toMatchObject({ response: { status: 404 } });
    const left = await xapi.getStatements({ agent: learner, verb: XAPI.Verbs.COMPLETED.id, limit: 0 });
    expect(left.data.statements.map((s) => s.id)).not.toContain(id);
  });

  it('keeps a learner state document and an activity profile', async () => {
    const activityId = 'https://hoc.bacninh.vn/xapi/activities/lesson/1';
    await xapi.setState({ agent: learner, activityId, stateId: 'bookmark', state: { position: 42 } });
    expect((await xapi.getState({ agent: learner, activityId, stateId: 'bookmark' })).data).toEqual({ position: 42 });
    await xapi.createActivityProfile({ activityId, profileId: 'meta', profile: { level: 'cơ bản' } });
    expect((await xapi.getActivityProfile({ activityId, profileId: 'meta' })).data).toEqual({ level: 'cơ bản' });
  });
});
