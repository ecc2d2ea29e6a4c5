/**
 * Our own xAPI 1.0.3 LRS conformance suite: one test per MUST / MUST NOT line of the specification
 * (github.com/adlnet/xAPI-Spec, Part Two "Data" and Part Three "Communication"), grouped by section.
 * Test names paraphrase the requirement; the section number is in the describe.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../../testing/test-app.ts';
import { ACTIVITY, lrsClient, statement } from './lrs-test-kit.ts';

let t: TestApp;
let c: Awaited<ReturnType<typeof lrsClient>>;
beforeAll(async () => {
  t = await createTestApp();
  c = await lrsClient(t.app);
}, 60_000);
afterAll(async () => t?.close());

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const voiding = (target: string, over: Record<string, unknown> = {}) =>
  statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target }, ...over });

/** Posts a statement that must be refused with 400 naming `field`, and checks nothing was stored. */
async function expectRejected(s: Record<string, unknown>, field: string) {
  const res = await c.post(s);
  expect(res.statusCode, res.body).toBe(400);
  expect(
    res.json().details.map((d: { field: string }) => d.field),
    res.body,
  ).toContain(field);
  if (typeof s.id === 'string' && /^[0-9a-f-]{36}$/.test(s.id)) expect((await c.get({ statementId: s.id })).statusCode).toBe(404);
}

describe('Data 2.2 Formatting requirements', () => {
  it('rejects a statement with a property the specification does not define', () => expectRejected({ ...statement(), color: 'red' }, '/body/color'));
  it('rejects a property whose value has the wrong type (verb as a string)', () => expectRejected(statement({ verb: 'completed' }), '/body/verb'));
  it('rejects an empty-string IRI', () => expectRejected(statement({ verb: { id: '' } }), '/body/verb/id'));
  it('rejects a statement with an unknown property nested in an object', () =>
    expectRejected(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/completed', colour: 1 } }), '/body/verb/colour'));
  it('accepts a statement that uses only defined properties and answers its id', async () => {
    const s = statement();
    const res = await c.post(s);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([s.id]);
  });
});

describe('Data 2.3.1 Statement immutability', () => {
  it('answers success and changes nothing when the same statement is sent again', async () => {
    const s = statement();
    await c.post(s);
    const first = (await c.get({ statementId: s.id })).json();
    expect((await c.post(s)).statusCode).toBe(200);
    expect((await c.get({ statementId: s.id })).json()).toEqual(first);
  });
  it('answers 409 Conflict to a statement with an existing id and different content', async () => {
    const s = statement();
    await c.post(s);
    const res = await c.post({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } });
    expect(res.statusCode).toBe(409);
  });
});

describe('Data 2.3.2 Voiding', () => {
  it('requires the object of a voiding statement to be a StatementRef', () =>
    expectRejected(statement({ verb: { id: VOIDED }, object: { id: ACTIVITY } }), '/body/object/objectType'));
  it('does not return a voided statement by statementId', async () => {
    const s = statement();
    await c.post(s);
    expect((await c.post(voiding(s.id))).statusCode).toBe(200);
    expect((await c.get({ statementId: s.id })).statusCode).toBe(404);
  });
  it('returns a voided statement by voidedStatementId', async () => {
    const s = statement();
    await c.post([s, voiding(s.id)]);
    const res = await c.get({ voidedStatementId: s.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(s.id);
  });
  it('does not return a statement that is not voided by voidedStatementId', async () => {
    const s = statement();
    await c.post(s);
    expect((await c.get({ voidedStatementId: s.id })).statusCode).toBe(404);
  });
  it('does not let a voiding statement be voided', async () => {
    const s = statement();
    const v = voiding(s.id);
    await c.post([s, v]);
    expect((await c.post(voiding(v.id))).statusCode).toBe(400);
  });
  it('still returns the voiding statement itself in queries', async () => {
    const s = statement();
    const v = voiding(s.id);
    await c.post([s, v]);
    const ids = (await c.get({ verb: VOIDED, limit: '0' })).json().statements.map((x: { id: string }) => x.id);
    expect(ids).toContain(v.id);
    expect(ids).not.toContain(s.id);
  });
});

describe('Data 2.4.1 Id', () => {
  it('rejects an id that is not a UUID', () => expectRejected(statement({ id: 'abc' }), '/body/id'));
  it('assigns a UUID when the statement has no id', async () => {
    const { id: _, ...s } = statement();
    const res = await c.post(s);
    expect(res.json()[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Data 2.4.2 Actor', () => {
  it('rejects a statement without an actor', () => {
    const { actor: _, ...s } = statement();
    return expectRejected({ ...s, id: randomUUID() }, '/body/actor');
  });
  it('rejects an Agent with two inverse functional identifiers', () =>
    expectRejected(statement({ actor: { mbox: 'mailto:a@example.vn', openid: 'http://openid.example.vn/a' } }), '/body/actor'));
  it('rejects an Agent with no inverse functional identifier', () => expectRejected(statement({ actor: { name: 'Lan' } }), '/body/actor'));
  it('rejects an mbox that is not a mailto IRI', () => expectRejected(statement({ actor: { mbox: 'lan@example.vn' } }), '/body/actor/mbox'));
  it('rejects an mbox_sha1sum that is not a hex SHA-1', () => expectRejected(statement({ actor: { mbox_sha1sum: 'xyz' } }), '/body/actor/mbox_sha1sum'));
  it('rejects an account without a homePage IRL', () => expectRejected(statement({ actor: { account: { name: 'lan' } } }), '/body/actor/account/homePage'));
  it('rejects an account without a name', () =>
    expectRejected(statement({ actor: { account: { homePage: 'https://hoc.bacninh.vn' } } }), '/body/actor/account/name'));
  it('rejects an anonymous Group without members', () => expectRejected(statement({ actor: { objectType: 'Group', name: 'Lớp 1' } }), '/body/actor/member'));
  it('rejects a Group member that is a Group', () =>
    expectRejected(
      statement({ actor: { objectType: 'Group', member: [{ objectType: 'Group', member: [{ mbox: 'mailto:a@example.vn' }] }] } }),
      '/body/actor/member/0/objectType',
    ));
  it('rejects an identified Group with two identifiers', () =>
    expectRejected(statement({ actor: { objectType: 'Group', mbox: 'mailto:g@example.vn', openid: 'http://openid.example.vn/g' } }), '/body/actor'));
  it('accepts an identified Group and an anonymous Group with members', async () => {
    expect((await c.post(statement({ actor: { objectType: 'Group', mbox: 'mailto:lop@example.vn' } }))).statusCode).toBe(200);
    expect((await c.post(statement({ actor: { objectType: 'Group', member: [{ mbox: 'mailto:a@example.vn' }] } }))).statusCode).toBe(200);
  });
});

describe('Data 2.4.3 Verb', () => {
  it('rejects a statement without a verb', () => {
    const { verb: _, ...s } = statement();
    return expectRejected(s, '/body/verb');
  });
  it('rejects a verb id that is not an IRI', () => expectRejected(statement({ verb: { id: 'completed' } }), '/body/verb/id'));
  it('rejects a verb display that is not a language map', () =>
    expectRejected(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: 'completed' } }), '/body/verb/display'));
});

describe('Data 2.4.4 Object', () => {
  it('rejects a statement without an object', () => {
    const { object: _, ...s } = statement();
    return expectRejected(s, '/body/object');
  });
  it('rejects an Activity id that is not an IRI', () => expectRejected(statement({ object: { id: 'khoa-hoc-1' } }), '/body/object/id'));
  it('rejects an unknown objectType', () => expectRejected(statement({ object: { objectType: 'Course', id: ACTIVITY } }), '/body/object/objectType'));
  it('rejects an activity type that is not an IRI', () =>
    expectRejected(statement({ object: { id: ACTIVITY, definition: { type: 'course' } } }), '/body/object/definition/type'));
  it('rejects a moreInfo that is not an IRL', () =>
    expectRejected(statement({ object: { id: ACTIVITY, definition: { moreInfo: 'urn:x:y' } } }), '/body/object/definition/moreInfo'));
  it('rejects an unknown interactionType', () =>
    expectRejected(statement({ object: { id: ACTIVITY, definition: { interactionType: 'essay' } } }), '/body/object/definition/interactionType'));
  it('rejects interaction components without an interactionType', () =>
    expectRejected(statement({ object: { id: ACTIVITY, definition: { choices: [{ id: 'a' }] } } }), '/body/object/definition/choices'));
  it('rejects a StatementRef whose id is not a UUID', () => expectRejected(statement({ object: { objectType: 'StatementRef', id: 'x' } }), '/body/object/id'));
  it('rejects a SubStatement that contains a SubStatement', () =>
    expectRejected(
      statement({ object: { objectType: 'SubStatement', ...statement({ id: undefined, object: { objectType: 'SubStatement' } }), id: undefined } }),
      '/body/object/object/objectType',
    ));
  it('rejects a SubStatement with an id, stored, version or authority', () =>
    expectRejected(statement({ object: { ...statement(), objectType: 'SubStatement' } }), '/body/object/id'));
});

describe('Data 2.4.5 Result', () => {
  it('rejects a scaled score above 1', () => expectRejected(statement({ result: { score: { scaled: 1.5 } } }), '/body/result/score/scaled'));
  it('rejects a scaled score below -1', () => expectRejected(statement({ result: { score: { scaled: -1.01 } } }), '/body/result/score/scaled'));
  it('rejects a raw score below min', () => expectRejected(statement({ result: { score: { raw: 1, min: 5, max: 10 } } }), '/body/result/score/raw'));
  it('rejects a raw score above max', () => expectRejected(statement({ result: { score: { raw: 11, min: 0, max: 10 } } }), '/body/result/score/raw'));
  it('rejects a max that is not greater than min', () => expectRejected(statement({ result: { score: { min: 10, max: 10 } } }), '/body/result/score/max'));
  it('rejects a duration that is not ISO 8601', () => expectRejected(statement({ result: { duration: '90 minutes' } }), '/body/result/duration'));
  it('rejects success that is not a boolean', () => expectRejected(statement({ result: { success: 'yes' } }), '/body/result/success'));
  it('accepts a complete result', async () => {
    const res = await c.post(
      statement({ result: { score: { scaled: 0.9, raw: 9, min: 0, max: 10 }, success: true, completion: true, duration: 'PT1H2M3.5S' } }),
    );
    expect(res.statusCode).toBe(200);
  });
});

describe('Data 2.4.6 Context', () => {
  it('rejects a registration that is not a UUID', () => expectRejected(statement({ context: { registration: 'r1' } }), '/body/context/registration'));
  it('rejects a team that is not a Group', () =>
    expectRejected(statement({ context: { team: { mbox: 'mailto:t@example.vn' } } }), '/body/context/team/objectType'));
  it('rejects revision when the object is not an Activity', () =>
    expectRejected(statement({ object: { mbox: 'mailto:b@example.vn', objectType: 'Agent' }, context: { revision: '2' } }), '/body/context/revision'));
  it('rejects platform when the object is not an Activity', () =>
    expectRejected(statement({ object: { mbox: 'mailto:b@example.vn', objectType: 'Agent' }, context: { platform: 'web' } }), '/body/context/platform'));
  it('rejects a context language that is not a language tag', () =>
    expectRejected(statement({ context: { language: 'tiếng việt' } }), '/body/context/language'));
  it('rejects a context statement that is not a StatementRef', () =>
    expectRejected(statement({ context: { statement: { id: randomUUID() } } }), '/body/context/statement/objectType'));
  it('rejects an unknown contextActivities key', () =>
    expectRejected(statement({ context: { contextActivities: { sibling: { id: ACTIVITY } } } }), '/body/context/contextActivities/sibling'));
  it('accepts a single context activity object as well as an array', async () => {
    const res = await c.post(statement({ context: { contextActivities: { parent: { id: ACTIVITY }, grouping: [{ id: `${ACTIVITY}/a` }] } } }));
    expect(res.statusCode).toBe(200);
  });
});

describe('Data 2.4.7 Timestamp and 2.4.8 Stored', () => {
  it('rejects a timestamp that is not ISO 8601', () => expectRejected(statement({ timestamp: '28/11/2026' }), '/body/timestamp'));
  it('rejects the -00:00 offset', () => expectRejected(statement({ timestamp: '2026-11-28T10:00:00-00:00' }), '/body/timestamp'));
  it('sets stored, and sets timestamp to stored when the statement has none', async () => {
    const s = statement();
    await c.post(s);
    const got = (await c.get({ statementId: s.id })).json();
    expect(Date.parse(got.stored)).not.toBeNaN();
    expect(got.timestamp).toBe(got.stored);
  });
});

describe('Data 2.4.9 Authority and 2.4.10 Version', () => {
  it('sets the authority from the credentials, overwriting what was sent', async () => {
    const s = statement({ authority: { mbox: 'mailto:fake@example.vn' } });
    await c.post(s);
    expect((await c.get({ statementId: s.id })).json().authority.account.name).toBe(c.key);
  });
  it('sets version 1.0.0 when the statement has none', async () => {
    const s = statement();
    await c.post(s);
    expect((await c.get({ statementId: s.id })).json().version).toBe('1.0.0');
  });
  it('rejects a statement version that is not 1.0.x or 2.0.x', () => expectRejected(statement({ version: '0.95' }), '/body/version'));
});

describe('Data 2.4.11 Attachments', () => {
  it('rejects an attachment without a sha2', () =>
    expectRejected(
      statement({
        attachments: [
          { usageType: 'http://adlnet.gov/expapi/attachments/signature', display: { vi: 'chữ ký' }, contentType: 'application/octet-stream', length: 3 },
        ],
      }),
      '/body/attachments/0/sha2',
    ));
  it('accepts attachments with a fileUrl as application/json', async () => {
    const res = await c.post(
      statement({
        attachments: [
          {
            usageType: 'https://hoc.bacninh.vn/xapi/attachments/certificate',
            display: { vi: 'chứng chỉ' },
            contentType: 'application/pdf',
            length: 10,
            sha2: 'a'.repeat(64),
            fileUrl: 'https://hoc.bacninh.vn/cert.pdf',
          },
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
  });
});

describe('Data 4.1 Extensions and 4.2 Language maps', () => {
  it('rejects an extension key that is not an IRI', () =>
    expectRejected(statement({ result: { extensions: { 'diem-so': 1 } } }), '/body/result/extensions/diem-so'));
  it('rejects a language map key that is not a language tag', () =>
    expectRejected(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'tiếng việt': 'x' } } }), '/body/verb/display/tiếng việt'));
  it('rejects a language map value that is not a string', () =>
    expectRejected(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { vi: 1 } } }), '/body/verb/display/vi'));
});

describe('Communication 1.1 HEAD requests', () => {
  it('answers HEAD like GET without a body', async () => {
    const s = statement();
    await c.post(s);
    const res = await c.request({ method: 'HEAD', url: `/xapi/statements?statementId=${s.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });
});

describe('Communication 2.1 Statement resource', () => {
  it('stores a statement by PUT with statementId and answers 204', async () => {
    const s = statement();
    const res = await c.request({
      method: 'PUT',
      url: `/xapi/statements?statementId=${s.id}`,
      payload: JSON.stringify(s),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(204);
    expect((await c.get({ statementId: s.id })).statusCode).toBe(200);
  });
  it('rejects a PUT without statementId', async () => {
    const res = await c.request({
      method: 'PUT',
      url: '/xapi/statements',
      payload: JSON.stringify(statement()),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
  });
  it('rejects a PUT whose statement id differs from statementId', async () => {
    const res = await c.request({
      method: 'PUT',
      url: `/xapi/statements?statementId=${randomUUID()}`,
      payload: JSON.stringify(statement()),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
  });
  it('stores a batch all or nothing: one bad statement rejects the batch', async () => {
    const good = statement();
    const res = await c.post([good, statement({ verb: { id: 'bad' } })]);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/1/verb/id');
    expect((await c.get({ statementId: good.id })).statusCode).toBe(404);
  });
  it('rejects a batch holding the same id twice', async () => {
    const s = statement();
    expect((await c.post([s, s])).statusCode).toBe(400);
  });
  it('rejects statementId together with voidedStatementId', async () => {
    expect((await c.get({ statementId: randomUUID(), voidedStatementId: randomUUID() })).statusCode).toBe(400);
  });
  it('rejects statementId together with a filter parameter', async () => {
    expect((await c.get({ statementId: randomUUID(), verb: VOIDED })).statusCode).toBe(400);
  });
  it('rejects a query parameter it does not know', async () => {
    const res = await c.get({ colour: 'red' });
    expect(res.statusCode).toBe(400);
  });
  it('answers a StatementResult with statements and more, and X-Experience-API-Consistent-Through', async () => {
    const res = await c.get({ limit: '1' });
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json().statements)).toBe(true);
    expect(typeof res.json().more).toBe('string');
    expect(Date.parse(res.headers['x-experience-api-consistent-through'] as string)).not.toBeNaN();
  });
  it('follows more links through every page without repeats', async () => {
    const activity = `${ACTIVITY}/${randomUUID()}`;
    const batch = Array.from({ length: 5 }, () => statement({ object: { id: activity } }));
    await c.post(batch);
    const seen: string[] = [];
    let url = `/xapi/statements?${new URLSearchParams({ activity, limit: '2' })}`;
    while (url) {
      const page = (await c.request({ method: 'GET', url })).json();
      seen.push(...page.statements.map((s: { id: string }) => s.id));
      url = page.more;
    }
    expect(seen.sort()).toEqual(batch.map((s) => s.id).sort());
  });
  it('filters by agent, verb, activity and registration', async () => {
    const registration = randomUUID();
    const mbox = `mailto:${randomUUID()}@example.vn`;
    const s = statement({ actor: { mbox }, context: { registration } });
    await c.post([s, statement()]);
    const queries: Record<string, string>[] = [
      { agent: JSON.stringify({ mbox }) },
      { registration },
      { agent: JSON.stringify({ mbox }), verb: s.verb.id, activity: ACTIVITY },
    ];
    for (const q of queries) {
      const ids = (await c.get(q)).json().statements.map((x: { id: string }) => x.id);
      expect(ids, JSON.stringify(q)).toEqual([s.id]);
    }
  });
  it('matches context activities only with related_activities=true', async () => {
    const parent = `${ACTIVITY}/${randomUUID()}`;
    const s = statement({ context: { contextActivities: { parent: [{ id: parent }] } } });
    await c.post(s);
    expect((await c.get({ activity: parent })).json().statements).toEqual([]);
    expect((await c.get({ activity: parent, related_activities: 'true' })).json().statements.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });
  it('matches context agents only with related_agents=true', async () => {
    const mbox = `mailto:${randomUUID()}@example.vn`;
    const s = statement({ context: { instructor: { mbox } } });
    await c.post(s);
    expect((await c.get({ agent: JSON.stringify({ mbox }) })).json().statements).toEqual([]);
    expect((await c.get({ agent: JSON.stringify({ mbox }), related_agents: 'true' })).json().statements.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });
  it('orders by stored, newest first unless ascending=true, and honours since and until', async () => {
    const activity = `${ACTIVITY}/${randomUUID()}`;
    const first = statement({ object: { id: activity } });
    await c.post(first);
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const second = statement({ object: { id: activity } });
    await c.post(second);
    const ids = (q: Record<string, string>) => c.get({ activity, ...q }).then((r) => r.json().statements.map((x: { id: string }) => x.id));
    expect(await ids({})).toEqual([second.id, first.id]);
    expect(await ids({ ascending: 'true' })).toEqual([first.id, second.id]);
    expect(await ids({ since: between })).toEqual([second.id]);
    expect(await ids({ until: between })).toEqual([first.id]);
  });
  it('answers format=ids with agents reduced to their identifier and activities to their id', async () => {
    const s = statement();
    await c.post(s);
    const got = (await c.get({ statementId: s.id, format: 'ids' })).json();
    expect(got.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:lan@example.vn' });
    expect(got.object).toEqual({ objectType: 'Activity', id: ACTIVITY });
  });
  it('answers format=canonical with one language per map, chosen by Accept-Language', async () => {
    const s = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced', vi: 'đã học' } } });
    await c.post(s);
    const url = `/xapi/statements?${new URLSearchParams({ statementId: s.id, format: 'canonical' })}`;
    const vi = await c.request({ method: 'GET', url, headers: { 'accept-language': 'vi-VN, en;q=0.5' } });
    expect(vi.json().verb.display).toEqual({ vi: 'đã học' });
    const en = await c.request({ method: 'GET', url, headers: { 'accept-language': 'en' } });
    expect(en.json().verb.display).toEqual({ 'en-US': 'experienced' });
  });
  it('accepts xAPI 2.0 contextAgents and contextGroups under a 2.0.x version header, and finds them as related agents', async () => {
    const mentor = `mailto:mentor.${randomUUID()}@example.vn`;
    const context = {
      contextAgents: [{ objectType: 'contextAgent', agent: { mbox: mentor }, relevantTypes: ['https://hoc.bacninh.vn/xapi/types/mentor'] }],
      contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:chi-hoi@example.vn' } }],
    };
    const s = statement({ context });
    expect((await c.post(s, { 'x-experience-api-version': '2.0.0' })).statusCode).toBe(200);
    const found = await c.request({
      method: 'GET',
      url: `/xapi/statements?${new URLSearchParams({ agent: JSON.stringify({ mbox: mentor }), related_agents: 'true' })}`,
      version: '2.0.0',
    });
    expect(found.json().statements.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect(found.json().statements[0].version).toBe('2.0.0');
  });
  it('rejects contextAgents under a 1.0.x version header, and a contextAgent without its agent under 2.0, naming the field', async () => {
    const under1 = await c.post(statement({ context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:a@example.vn' } }] } }));
    expect(under1.statusCode).toBe(400);
    expect(under1.json().details[0].field).toBe('/body/context/contextAgents');
    const noAgent = await c.post(statement({ context: { contextAgents: [{ objectType: 'contextAgent' }] } }), { 'x-experience-api-version': '2.0.0' });
    expect(noAgent.statusCode).toBe(400);
    expect(noAgent.json().details[0].field).toBe('/body/context/contextAgents/0/agent');
  });
  it('rejects a body that is not JSON with 400', async () => {
    const res = await c.request({ method: 'POST', url: '/xapi/statements', payload: '{"actor":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
  });
  it('rejects an oversize body with 413 and stores nothing', async () => {
    const big = statement({ result: { response: 'x'.repeat(11 * 1024 * 1024) } });
    const res = await c.post(big);
    expect(res.statusCode).toBe(413);
    expect((await c.get({ statementId: big.id })).statusCode).toBe(404);
  });
});

describe('Communication 2.1.3 Filter Conditions for StatementRefs', () => {
  const ref = (target: string, over: Record<string, unknown> = {}) =>
    statement({
      actor: { mbox: 'mailto:andrew@example.vn' },
      verb: { id: 'https://hoc.bacninh.vn/xapi/verbs/confirmed' },
      object: { objectType: 'StatementRef', id: target },
      ...over,
    });
  const idsOf = async (q: Record<string, string>) => (await c.get(q)).json().statements.map((x: { id: string }) => x.id);
  /** "Ben passed explosives training" with a learner and an activity of its own, so queries see only this test's statements. */
  const original = () => {
    const mbox = `mailto:ben.${randomUUID()}@example.vn`;
    const activity = `${ACTIVITY}/${randomUUID()}`;
    return { mbox, activity, s: statement({ actor: { mbox }, object: { id: activity } }) };
  };

  it('returns a statement whose StatementRef target meets the agent, activity, verb or registration filter', async () => {
    const registration = randomUUID();
    const { mbox, activity, s } = original();
    const passed = { ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, context: { registration } };
    const confirm = ref(passed.id);
    await c.post([passed, confirm]);
    const queries: Record<string, string>[] = [{ agent: JSON.stringify({ mbox }) }, { activity }, { activity, verb: passed.verb.id }, { registration }];
    // one batch, one stored time: the order between the two is by id, so compare as sets
    for (const q of queries) expect((await idsOf(q)).sort(), JSON.stringify(q)).toEqual([confirm.id, passed.id].sort());
    // the target must meet every filter: a verb it does not have excludes both
    expect(await idsOf({ activity, verb: 'http://adlnet.gov/expapi/verbs/failed' })).toEqual([]);
  });
  it('returns a targeting statement that was stored before its target', async () => {
    const { activity, s } = original();
    const early = ref(s.id);
    await c.post(early);
    await c.post(s);
    expect((await idsOf({ activity })).sort()).toEqual([early.id, s.id].sort());
  });
  it('still applies since, until and limit to the targeting statement itself', async () => {
    const { activity, s } = original();
    await c.post(s);
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const confirm = ref(s.id);
    await c.post(confirm);
    expect(await idsOf({ activity, since: between })).toEqual([confirm.id]);
    expect(await idsOf({ activity, until: between })).toEqual([s.id]);
    const first = (await c.get({ activity, limit: '1' })).json();
    expect(first.statements.map((x: { id: string }) => x.id)).toEqual([confirm.id]);
    const next = (await c.request({ method: 'GET', url: first.more })).json();
    expect(next.statements.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });
  it('applies recursively: a statement targeting a targeting statement matches what the last target matches', async () => {
    const { mbox, s } = original();
    const b = ref(s.id);
    const a = ref(b.id, { actor: { mbox: 'mailto:chi@example.vn' } });
    // the middle of the chain arrives last, so the chain is completed by the later write
    await c.post(a);
    await c.post(s);
    await c.post(b);
    expect((await idsOf({ agent: JSON.stringify({ mbox }) })).sort()).toEqual([s.id, a.id, b.id].sort());
  });
  it('does not apply to statementId: a targeting statement is fetched by its own id only', async () => {
    const { s } = original();
    const confirm = ref(s.id);
    await c.post([s, confirm]);
    expect((await c.get({ statementId: confirm.id })).json().id).toBe(confirm.id);
    expect((await c.get({ statementId: s.id })).json().id).toBe(s.id);
  });
  it('ignores a StatementRef in context.statement', async () => {
    const { activity, s } = original();
    const aside = statement({ context: { statement: { objectType: 'StatementRef', id: s.id } } });
    await c.post([s, aside]);
    expect(await idsOf({ activity })).toEqual([s.id]);
  });
});

describe('Communication 2.1.4 Voided Statements', () => {
  it('does not return a voided statement through the StatementRef rule', async () => {
    const activity = `${ACTIVITY}/${randomUUID()}`;
    const s = statement({ object: { id: activity } });
    const confirm = statement({ verb: { id: 'https://hoc.bacninh.vn/xapi/verbs/confirmed' }, object: { objectType: 'StatementRef', id: s.id } });
    const v = voiding(s.id);
    await c.post([s, confirm, v]);
    expect((await c.get({ activity })).json().statements.map((x: { id: string }) => x.id)).not.toContain(s.id);
  });
  it('still returns the statements targeting a voided statement, the voiding statement included', async () => {
    const mbox = `mailto:${randomUUID()}@example.vn`;
    const s = statement({ actor: { mbox } });
    const confirm = statement({ verb: { id: 'https://hoc.bacninh.vn/xapi/verbs/confirmed' }, object: { objectType: 'StatementRef', id: s.id } });
    const v = voiding(s.id);
    await c.post([s, confirm]);
    await c.post(v);
    const ids = (await c.get({ agent: JSON.stringify({ mbox }) })).json().statements.map((x: { id: string }) => x.id);
    expect(ids.sort()).toEqual([confirm.id, v.id].sort());
  });
});

describe('Communication 2.2-2.7 Document resources', () => {
  const agent = JSON.stringify({ mbox: 'mailto:lan@example.vn' });
  const stateUrl = (stateId?: string) => `/xapi/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent, ...(stateId ? { stateId } : {}) })}`;
  const put = (url: string, body: string, headers: Record<string, string> = {}) =>
    c.request({ method: 'PUT', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });

  it('stores a State document and returns it with its content type and ETag', async () => {
    expect((await put(stateUrl('bookmark'), '{"page":3}')).statusCode).toBe(204);
    const res = await c.request({ method: 'GET', url: stateUrl('bookmark') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({ page: 3 });
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
  });
  it('keeps documents of any content type byte for byte', async () => {
    await c.request({ method: 'PUT', url: stateUrl('note'), payload: 'ghi chú', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const res = await c.request({ method: 'GET', url: stateUrl('note') });
    expect(res.body).toBe('ghi chú');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
  it('merges JSON objects on POST', async () => {
    await put(stateUrl('merge'), '{"a":1,"b":1}');
    await c.request({ method: 'POST', url: stateUrl('merge'), payload: '{"b":2,"c":3}', headers: { 'content-type': 'application/json' } });
    expect((await c.request({ method: 'GET', url: stateUrl('merge') })).json()).toEqual({ a: 1, b: 2, c: 3 });
  });
  it('rejects a POST merge when either document is not a JSON object', async () => {
    await c.request({ method: 'PUT', url: stateUrl('text'), payload: 'plain', headers: { 'content-type': 'text/plain' } });
    const res = await c.request({ method: 'POST', url: stateUrl('text'), payload: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
  });
  it('lists the ids of the State documents when stateId is absent', async () => {
    const res = await c.request({ method: 'GET', url: stateUrl() });
    expect(res.json()).toEqual(expect.arrayContaining(['bookmark', 'merge']));
  });
  it('deletes every State document of the activity and agent when stateId is absent', async () => {
    expect((await c.request({ method: 'DELETE', url: stateUrl() })).statusCode).toBe(204);
    expect((await c.request({ method: 'GET', url: stateUrl() })).json()).toEqual([]);
  });
  it('rejects a State request without an agent', async () => {
    const res = await c.request({ method: 'GET', url: `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&stateId=x` });
    expect(res.statusCode).toBe(400);
  });
  it('answers 404 for a document that does not exist', async () => {
    expect((await c.request({ method: 'GET', url: stateUrl('none') })).statusCode).toBe(404);
  });
  it('stores an Agent Profile and serves it', async () => {
    const url = `/xapi/agents/profile?${new URLSearchParams({ agent, profileId: 'prefs' })}`;
    expect((await put(url, '{"lang":"vi"}', { 'if-none-match': '*' })).statusCode).toBe(204);
    expect((await c.request({ method: 'GET', url })).json()).toEqual({ lang: 'vi' });
  });
});

describe('Communication 3.1 Concurrency', () => {
  const url = () => `/xapi/activities/profile?${new URLSearchParams({ activityId: ACTIVITY, profileId: randomUUID() })}`;
  const put = (u: string, body: string, headers: Record<string, string> = {}) =>
    c.request({ method: 'PUT', url: u, payload: body, headers: { 'content-type': 'application/json', ...headers } });

  it('answers 412 to If-Match with a stale ETag', async () => {
    const u = url();
    await put(u, '{"v":1}', { 'if-none-match': '*' });
    expect((await put(u, '{"v":2}', { 'if-match': '"0000000000000000000000000000000000000000"' })).statusCode).toBe(412);
  });
  it('updates with If-Match carrying the current ETag', async () => {
    const u = url();
    await put(u, '{"v":1}', { 'if-none-match': '*' });
    const etag = (await c.request({ method: 'GET', url: u })).headers.etag as string;
    expect((await put(u, '{"v":2}', { 'if-match': etag })).statusCode).toBe(204);
  });
  it('answers 412 to If-None-Match: * when the document exists', async () => {
    const u = url();
    await put(u, '{"v":1}', { 'if-none-match': '*' });
    expect((await put(u, '{"v":2}', { 'if-none-match': '*' })).statusCode).toBe(412);
  });
  it('answers 409 to a profile PUT without either header when the document exists', async () => {
    const u = url();
    await put(u, '{"v":1}', { 'if-none-match': '*' });
    expect((await put(u, '{"v":2}')).statusCode).toBe(409);
  });
});

describe('Communication 2.4, 2.5, 2.8 Agents, Activities and About', () => {
  it('returns the Activity with its definition', async () => {
    await c.post(statement());
    const res = await c.request({ method: 'GET', url: `/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}` });
    expect(res.json()).toMatchObject({ objectType: 'Activity', id: ACTIVITY, definition: { name: { 'vi-VN': 'Kỹ năng số cơ bản' } } });
  });
  it('returns a Person object for an Agent', async () => {
    const res = await c.request({ method: 'GET', url: `/xapi/agents?agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:lan@example.vn' }))}` });
    expect(res.json()).toEqual({ objectType: 'Person', mbox: ['mailto:lan@example.vn'] });
  });
  it('answers About without credentials, listing the versions', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/xapi/about' });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toContain('1.0.3');
  });
});

describe('Communication 3.3 Versioning', () => {
  it('rejects a request without X-Experience-API-Version', async () => {
    const res = await c.request({ method: 'GET', url: '/xapi/statements', version: null });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/headers/x-experience-api-version');
  });
  it('rejects an unsupported version', async () => {
    expect((await c.request({ method: 'GET', url: '/xapi/statements', version: '0.9' })).statusCode).toBe(400);
  });
  it('accepts 2.0.0 and answers the version header on every response, errors included', async () => {
    const ok = await c.request({ method: 'GET', url: '/xapi/statements?limit=1', version: '2.0.0' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-experience-api-version']).toBe('2.0.0');
    const bad = await c.request({ method: 'GET', url: '/xapi/statements?limit=x' });
    expect(bad.headers['x-experience-api-version']).toBe('1.0.3');
  });
});

describe('Communication 4 Authentication and scopes', () => {
  it('answers 401 with a Basic challenge when credentials are missing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/xapi/statements', headers: { 'x-experience-api-version': '1.0.3' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Basic');
  });
  it('answers 401 to a wrong secret', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { 'x-experience-api-version': '1.0.3', authorization: `Basic ${Buffer.from(`${c.key}:wrong`).toString('base64')}` },
    });
    expect(res.statusCode).toBe(401);
  });
  it('answers 403 to a write-only client that reads', async () => {
    const writer = await lrsClient(t.app, ['statements/write']);
    expect((await writer.post(statement())).statusCode).toBe(200);
    expect((await writer.get({})).statusCode).toBe(403);
  });
  it('answers 403 to a read-only client that writes', async () => {
    const reader = await lrsClient(t.app, ['all/read']);
    expect((await reader.post(statement())).statusCode).toBe(403);
  });
  it('shows a read-mine client only the statements it wrote', async () => {
    const mine = await lrsClient(t.app, ['statements/write', 'statements/read/mine']);
    const s = statement();
    await mine.post(s);
    const ids = (await mine.get({ limit: '0' })).json().statements.map((x: { id: string }) => x.id);
    expect(ids).toEqual([s.id]);
  });
  it('lets a citizen with a platform token write and read statements about themselves only', async () => {
    const { accessToken } = await signInAs(t.app, 'citizen@demo.local');
    const headers = { ...bearer(accessToken), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' };
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(accessToken) })).json();
    const own = statement({ actor: { account: { homePage: 'http://localhost:3000', name: me.id } } });
    expect((await t.app.inject({ method: 'POST', url: '/xapi/statements', payload: JSON.stringify(own), headers })).statusCode).toBe(200);
    const other = await t.app.inject({ method: 'POST', url: '/xapi/statements', payload: JSON.stringify(statement()), headers });
    expect(other.statusCode).toBe(403);
    const spy = await t.app.inject({
      method: 'GET',
      url: `/xapi/statements?agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:lan@example.vn' }))}`,
      headers,
    });
    expect(spy.statusCode).toBe(403);
    const mine = await t.app.inject({ method: 'GET', url: '/xapi/statements', headers });
    expect(mine.json().statements.map((x: { id: string }) => x.id)).toEqual([own.id]);
  });
});

describe('Communication 1.3 Alternate request syntax', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (method: string, path: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `${path}?method=${method}`, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('treats POST ?method=PUT with form fields as the PUT it stands for', async () => {
    const s = statement();
    const res = await post('PUT', '/xapi/statements', {
      statementId: s.id,
      content: JSON.stringify(s),
      Authorization: c.authorization,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await c.get({ statementId: s.id })).statusCode).toBe(200);
  });
  it('treats POST ?method=GET as a GET, taking query parameters from the form', async () => {
    const s = statement();
    await c.post(s);
    const res = await post('GET', '/xapi/statements', { statementId: s.id, Authorization: c.authorization, 'X-Experience-API-Version': '1.0.3' });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(s.id);
  });
  it('rejects other query string parameters beside method', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/xapi/statements?method=GET&statementId=${randomUUID()}`,
      payload: form({ Authorization: c.authorization, 'X-Experience-API-Version': '1.0.3' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
  });
  it('still needs credentials', async () => {
    expect((await post('GET', '/xapi/statements', { 'X-Experience-API-Version': '1.0.3' })).statusCode).toBe(401);
  });
});
