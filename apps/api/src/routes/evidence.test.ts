import { verifyChain } from '@hts/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { lrsClient, statement } from './xapi/lrs-test-kit.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('public daily anchors', () => {
  it('answers an empty list before any completion', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/evidence/anchors' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ anchors: [] });
  });

  it("publishes today's anchor: the hash of the chain's last entry, without credentials", async () => {
    const c = await lrsClient(t.app);
    await c.post([statement(), statement(), statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } })]);
    const verdict = await verifyChain(t.app.services.db);
    if (!verdict.ok) throw new Error('chain should verify');
    const res = await t.app.inject({ method: 'GET', url: '/api/evidence/anchors' });
    expect(res.json().anchors).toEqual([{ day: new Date().toISOString().slice(0, 10), lastSeq: 2, entryHash: verdict.lastHash }]);
  });
});
