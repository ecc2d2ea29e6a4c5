import { randomUUID } from 'node:crypto';
import { externalLaunches, lessonProgress } from '@hts/db';
import { ABANDON_LAUNCHES_JOB, abandonExpiredLaunches, launchJobHandlers } from '@hts/domain';
import XAPI from '@xapi/xapi';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

/**
 * cmi5 launches of external activity lessons: the launch URL, the one-time fetch URL, and what the auth
 * token it returns may do. The seeded scam course has an optional external lesson served by the web app.
 */
const HOME = 'http://localhost:3000';
const LESSON = 'nhan-biet.thuc-hanh-nhan-biet';
const ACTIVITY = `${HOME}/activities/nhan-biet-tin-nhan-lua-dao/index.html`;
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

let t: TestApp;
let admin: string;
let courseId: string;
let endpoint: string;
// the app's clock, moved forward to reach expiries
let offsetMs = 0;
beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => new Date(Date.now() + offsetMs) } });
  courseId = (await t.app.inject({ method: 'GET', url: '/api/courses/phong-tranh-lua-dao-truc-tuyen' })).json().course.id;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);
afterAll(async () => t?.close());

interface Learner {
  token: string;
  id: string;
}
async function learner(): Promise<Learner> {
  const token = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
  const id = (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).json().id as string;
  await t.app.inject({ method: 'POST', url: `/api/courses/${courseId}/enrolments`, headers: bearer(token), payload: {} });
  return { token, id };
}
const launch = async (who: Learner, origin = endpoint) => {
  const res = await t.app.inject({ method: 'POST', url: `/api/courses/${courseId}/lessons/${LESSON}/launch`, headers: bearer(who.token), payload: { origin } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Launch;
};
interface Launch {
  launchUrl: string;
  fetch: string;
  endpoint: string;
  actor: object;
  registration: string;
  activityId: string;
  sessionId: string;
  launchMode: string;
  preview: boolean;
}
const fetchToken = async (fetchUrl: string) => {
  const url = new URL(fetchUrl);
  const res = await t.app.inject({ method: 'POST', url: url.pathname + url.search });
  expect(res.statusCode).toBe(200);
  return res.json() as { 'auth-token'?: string; 'error-code'?: string };
};
const basic = (authToken: string) => ({ authorization: `Basic ${authToken}`, 'x-experience-api-version': '1.0.3' });
const statement = (actor: object, registration: string, verb = COMPLETED, object = ACTIVITY) => ({
  id: randomUUID(),
  actor,
  verb: { id: verb },
  object: { objectType: 'Activity', id: object },
  context: { registration },
});
const lessonStatus = async (who: Learner) =>
  (await t.app.inject({ method: 'GET', url: `/api/courses/${courseId}/lessons/${LESSON}`, headers: bearer(who.token) })).json().status;

describe('launching an external activity', () => {
  it('answers a launch URL with the cmi5 parameters and writes LMS.LaunchData for the activity', async () => {
    const me = await learner();
    const l = await launch(me, 'http://192.168.1.20:3000');
    const url = new URL(l.launchUrl);
    expect(url.origin + url.pathname).toBe('http://192.168.1.20:3000/activities/nhan-biet-tin-nhan-lua-dao/index.html');
    expect(url.searchParams.get('endpoint')).toBe('http://192.168.1.20:3000/xapi/');
    expect(url.searchParams.get('fetch')).toMatch(/^http:\/\/192\.168\.1\.20:3000\/api\/launches\/[0-9a-f-]{36}\/fetch\?k=/);
    expect(JSON.parse(url.searchParams.get('actor') as string)).toEqual({ objectType: 'Agent', account: { homePage: HOME, name: me.id } });
    expect(url.searchParams.get('activityId')).toBe(ACTIVITY);
    expect(url.searchParams.get('registration')).toMatch(/^[0-9a-f-]{36}$/);

    const auth = (await fetchToken(l.fetch))['auth-token'] as string;
    const state = await t.app.inject({
      method: 'GET',
      url: '/xapi/activities/state',
      query: { activityId: ACTIVITY, agent: JSON.stringify(l.actor), registration: l.registration, stateId: 'LMS.LaunchData' },
      headers: basic(auth),
    });
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toMatchObject({ launchMode: 'Normal', moveOn: 'CompletedOrPassed', contextTemplate: { registration: l.registration } });
  });

  it('launches only external lessons of a course you are enrolled in', async () => {
    const me = await learner();
    const notExternal = await t.app.inject({
      method: 'POST',
      url: `/api/courses/${courseId}/lessons/nhan-biet.cac-chieu-lua-thuong-gap/launch`,
      headers: bearer(me.token),
      payload: {},
    });
    expect(notExternal.statusCode).toBe(400);
    expect(notExternal.json().details[0].field).toBe('/params/lessonId');
    const stranger = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
    const res = await t.app.inject({ method: 'POST', url: `/api/courses/${courseId}/lessons/${LESSON}/launch`, headers: bearer(stranger), payload: {} });
    expect(res.statusCode).toBe(403);
    const badOrigin = await t.app.inject({
      method: 'POST',
      url: `/api/courses/${courseId}/lessons/${LESSON}/launch`,
      headers: bearer(me.token),
      payload: { origin: 'javascript:alert(1)' },
    });
    expect(badOrigin.statusCode).toBe(400);
  });
});

describe('the fetch URL', () => {
  it('gives the auth token once: a second call is error 1, a wrong code error 2, both with HTTP 200', async () => {
    const l = await launch(await learner());
    const first = await fetchToken(l.fetch);
    expect(first['auth-token']).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(await fetchToken(l.fetch)).toMatchObject({ 'error-code': '1' });
    const wrong = new URL(l.fetch);
    wrong.searchParams.set('k', 'not-the-code');
    expect(await fetchToken(wrong.href)).toMatchObject({ 'error-code': '2' });
    const other = await t.app.inject({ method: 'POST', url: `/api/launches/${randomUUID()}/fetch?k=x` });
    expect(other.json()).toMatchObject({ 'error-code': '2' });
  });

  it('expires when not used within ten minutes of the launch', async () => {
    const l = await launch(await learner());
    offsetMs = 11 * 60 * 1000;
    try {
      expect(await fetchToken(l.fetch)).toMatchObject({ 'error-code': '1' });
    } finally {
      offsetMs = 0;
    }
  });
});

describe('the launch token at the LRS', () => {
  it('writes statements as the learner only, never voids, and reads no statements, lookups or other documents (403)', async () => {
    const me = await learner();
    const l = await launch(me);
    const auth = (await fetchToken(l.fetch))['auth-token'] as string;
    const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/xapi/statements', headers: basic(auth), payload: body as object });

    expect((await post(statement(l.actor, l.registration, 'http://adlnet.gov/expapi/verbs/initialized'))).statusCode).toBe(200);
    const other = await learner();
    const asOther = await post(statement({ objectType: 'Agent', account: { homePage: HOME, name: other.id } }, l.registration));
    expect(asOther.statusCode).toBe(403);
    expect(asOther.json().details[0].field).toBe('/body/actor');
    const voiding = await post({
      actor: l.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: randomUUID() },
    });
    expect(voiding.statusCode).toBe(403);

    const get = (url: string, query: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, query, headers: basic(auth) });
    expect((await get('/xapi/statements')).statusCode).toBe(403);
    expect((await get('/xapi/activities', { activityId: ACTIVITY })).statusCode).toBe(403);
    expect((await get('/xapi/agents', { agent: JSON.stringify(l.actor) })).statusCode).toBe(403);

    const agent = JSON.stringify(l.actor);
    const state = (q: Record<string, string>, method: 'GET' | 'PUT' = 'GET') =>
      t.app.inject({ method, url: '/xapi/activities/state', query: { agent, stateId: 'bookmark', ...q }, headers: basic(auth), payload: { page: 2 } });
    expect((await state({ activityId: ACTIVITY, registration: l.registration }, 'PUT')).statusCode).toBe(204);
    expect((await state({ activityId: ACTIVITY, registration: l.registration })).json()).toEqual({ page: 2 });
    const foreignActivity = await state({ activityId: 'https://example.vn/khac', registration: l.registration });
    expect(foreignActivity.statusCode).toBe(403);
    expect(foreignActivity.json().details[0].field).toBe('/querystring/activityId');
    expect((await state({ activityId: ACTIVITY, registration: randomUUID() })).statusCode).toBe(403);
    expect((await state({ activityId: ACTIVITY })).statusCode).toBe(403);
    const launchData = await state({ activityId: ACTIVITY, registration: l.registration, stateId: 'LMS.LaunchData' }, 'PUT');
    expect(launchData.statusCode).toBe(403);
    const preferences = await t.app.inject({
      method: 'PUT',
      url: '/xapi/agents/profile',
      query: { agent, profileId: 'cmi5LearnerPreferences' },
      headers: { ...basic(auth), 'if-none-match': '*' },
      payload: { languagePreference: 'vi-VN' },
    });
    expect(preferences.statusCode).toBe(403);
  });

  it('is refused before it exists, when altered, and once expired (401)', async () => {
    const me = await learner();
    const l = await launch(me);
    const launchId = new URL(l.fetch).pathname.split('/')[3];
    const guessed = Buffer.from(`launch.${launchId}:guess`).toString('base64');
    const post = (auth: string) =>
      t.app.inject({
        method: 'POST',
        url: '/xapi/statements',
        headers: basic(auth),
        payload: statement(l.actor, l.registration, 'http://adlnet.gov/expapi/verbs/initialized'),
      });
    expect((await post(guessed)).statusCode).toBe(401);
    const auth = (await fetchToken(l.fetch))['auth-token'] as string;
    expect((await post(guessed)).statusCode).toBe(401);
    expect((await post(auth)).statusCode).toBe(200);
    offsetMs = 3 * 60 * 60 * 1000 + 1000;
    try {
      const late = await post(auth);
      expect(late.statusCode).toBe(401);
      expect(late.json().code).toBe('token_invalid');
    } finally {
      offsetMs = 0;
    }
  });

  it('completes the lesson only from its own activity and registration', async () => {
    const me = await learner();
    const l = await launch(me);
    const auth = (await fetchToken(l.fetch))['auth-token'] as string;
    const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/xapi/statements', headers: basic(auth), payload: body as object });
    expect((await post(statement(l.actor, randomUUID()))).statusCode).toBe(200);
    expect((await post(statement(l.actor, l.registration, COMPLETED, 'https://example.vn/khac'))).statusCode).toBe(200);
    expect(await lessonStatus(me)).not.toBe('completed');
    expect((await post(statement(l.actor, l.registration))).statusCode).toBe(200);
    expect(await lessonStatus(me)).toBe('completed');
  });
});

describe('activities in a sandboxed frame (an opaque origin)', () => {
  it('may call the LRS across origins: the preflight is answered and answers carry Access-Control-Allow-Origin', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/xapi/statements',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-experience-api-version',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-experience-api-version');
    const about = await t.app.inject({ method: 'GET', url: '/xapi/about', headers: { origin: 'null' } });
    expect(about.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('an xAPI client library with the launch token', () => {
  it('@xapi/xapi sends "completed" through the launch parameters and the lesson counts as done', async () => {
    const me = await learner();
    const l = await launch(me);
    const params = new URL(l.launchUrl).searchParams;
    const tokenAnswer = await fetch(params.get('fetch') as string, { method: 'POST' });
    expect(tokenAnswer.headers.get('access-control-allow-origin')).toBe('*');
    const auth = ((await tokenAnswer.json()) as { 'auth-token': string })['auth-token'];
    const xapi = new XAPI({ endpoint: params.get('endpoint') as string, auth: `Basic ${auth}`, version: '1.0.3' });
    const actor = JSON.parse(params.get('actor') as string);
    const registration = params.get('registration') as string;
    const activityId = params.get('activityId') as string;
    const launchData = (await xapi.getState({ agent: actor, activityId, registration, stateId: 'LMS.LaunchData' })).data as {
      contextTemplate: Record<string, unknown>;
    };
    expect(await lessonStatus(me)).not.toBe('completed');
    await xapi.sendStatement({
      statement: {
        actor,
        verb: XAPI.Verbs.COMPLETED,
        object: { objectType: 'Activity', id: activityId },
        context: { ...launchData.contextTemplate, registration },
        result: { completion: true, duration: 'PT2M' },
      },
    });
    expect(await lessonStatus(me)).toBe('completed');
  });
});

const TERMINATED = 'http://adlnet.gov/expapi/verbs/terminated';
const INITIALIZED = 'http://adlnet.gov/expapi/verbs/initialized';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const PREVIEW = `${HOME}/xapi/extensions/preview`;
/** What the LRS holds in a registration with this verb (read as the admin). */
interface StoredStatement {
  actor: { account: unknown };
  object: { id: string };
  context: { extensions: Record<string, unknown>; contextActivities: Record<string, unknown> };
  result?: { duration?: string };
}
async function stored(registration: string, verb: string): Promise<StoredStatement[]> {
  const res = await t.app.inject({
    method: 'GET',
    url: '/xapi/statements',
    query: { registration, verb },
    headers: { ...bearer(admin), 'x-experience-api-version': '1.0.3' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().statements;
}
async function started(who: Learner) {
  const l = await launch(who);
  const auth = (await fetchToken(l.fetch))['auth-token'] as string;
  const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/xapi/statements', headers: basic(auth), payload: body as object });
  return { l, auth, post };
}
const progressRow = async (registration: string) =>
  (await t.db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, registration))).find((r) => r.lessonId === LESSON);

describe('the cmi5 session the platform keeps (launched, satisfied, terminated, Review, abandoned)', () => {
  it('writes "launched" with the launch mode, URL and moveOn at launch, and "satisfied" once the lesson\'s rule is met', async () => {
    const me = await learner();
    const { l, post } = await started(me);
    const [launched] = await stored(l.registration, 'http://adlnet.gov/expapi/verbs/launched');
    expect(launched?.object.id).toBe(ACTIVITY);
    expect(launched?.actor.account).toEqual({ homePage: HOME, name: me.id });
    expect(launched?.context.extensions).toMatchObject({
      [SESSION]: l.sessionId,
      'https://w3id.org/xapi/cmi5/context/extensions/launchmode': 'Normal',
      'https://w3id.org/xapi/cmi5/context/extensions/moveon': 'CompletedOrPassed',
    });
    expect(launched?.context.contextActivities.category).toEqual([{ objectType: 'Activity', id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }]);
    expect(await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/satisfied')).toEqual([]);

    expect((await post(statement(l.actor, l.registration))).statusCode).toBe(200);
    const satisfied = await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/satisfied');
    expect(satisfied).toHaveLength(1);
    expect(satisfied[0]?.object.id).toBe(`${HOME}/xapi/activities/lesson/${courseId}/${LESSON}`);
    expect(satisfied[0]?.context.extensions[SESSION]).toBe(l.sessionId);
    // the same completion again satisfies nothing new
    expect((await post(statement(l.actor, l.registration))).statusCode).toBe(200);
    expect(await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/satisfied')).toHaveLength(1);
  });

  it('ends the session on "terminated": its token then writes nothing more (403 naming the session)', async () => {
    const me = await learner();
    const { l, post } = await started(me);
    expect((await post(statement(l.actor, l.registration, INITIALIZED))).statusCode).toBe(200);
    expect((await post(statement(l.actor, l.registration, TERMINATED))).statusCode).toBe(200);
    const late = await post(statement(l.actor, l.registration));
    expect(late.statusCode).toBe(403);
    expect(late.json().message).toContain(l.sessionId);
    expect(late.json().message).toContain('terminated');
    expect(await lessonStatus(me)).not.toBe('completed');
    const [row] = await t.db.select().from(externalLaunches).where(eq(externalLaunches.id, l.sessionId));
    expect(row).toMatchObject({ endedAs: 'terminated' });
  });

  it('refuses a batch where a statement follows "terminated", pointing at it, and stores none of it', async () => {
    const me = await learner();
    const { l, post } = await started(me);
    const res = await post([statement(l.actor, l.registration, TERMINATED), statement(l.actor, l.registration)]);
    expect(res.statusCode).toBe(403);
    expect(res.json().details[0].field).toBe('/body/1');
    expect(res.json().message).toContain(l.sessionId);
    expect(await lessonStatus(me)).not.toBe('completed');
    expect(await stored(l.registration, TERMINATED)).toEqual([]);
  });

  it('relaunches a completed lesson in Review mode, whose session may look again but never changes the record', async () => {
    const me = await learner();
    const first = await started(me);
    expect((await first.post(statement(first.l.actor, first.l.registration))).statusCode).toBe(200);
    const before = await progressRow(first.l.registration);
    expect(before?.completedAt).toBeTruthy();

    const again = await started(me);
    expect(again.l.launchMode).toBe('Review');
    const launchData = await t.app.inject({
      method: 'GET',
      url: '/xapi/activities/state',
      query: { activityId: ACTIVITY, agent: JSON.stringify(again.l.actor), registration: again.l.registration, stateId: 'LMS.LaunchData' },
      headers: basic(again.auth),
    });
    expect(launchData.json()).toMatchObject({ launchMode: 'Review', contextTemplate: { extensions: { [SESSION]: again.l.sessionId } } });
    const launched = await stored(again.l.registration, 'http://adlnet.gov/expapi/verbs/launched');
    expect(launched.find((s) => s.context.extensions[SESSION] === again.l.sessionId)?.context.extensions).toMatchObject({
      'https://w3id.org/xapi/cmi5/context/extensions/launchmode': 'Review',
    });
    // looking again is recorded; an outcome is not allowed in Review (cmi5 §10.2.2)
    expect((await again.post(statement(again.l.actor, again.l.registration, INITIALIZED))).statusCode).toBe(200);
    const passed = await again.post(statement(again.l.actor, again.l.registration, 'http://adlnet.gov/expapi/verbs/passed'));
    expect(passed.statusCode).toBe(403);
    expect(passed.json().details[0].field).toBe('/body/verb');
    expect(passed.json().message).toContain(again.l.sessionId);
    expect(await progressRow(first.l.registration)).toEqual(before);
    expect(await stored(again.l.registration, 'https://w3id.org/xapi/adl/verbs/satisfied')).toHaveLength(1);
  });

  it('writes "abandoned" for a session past its lifetime without "terminated" (by the job, with its duration), and closes it', async () => {
    const me = await learner();
    const { l, post } = await started(me);
    offsetMs = 5 * 60 * 1000;
    expect((await post(statement(l.actor, l.registration, INITIALIZED))).statusCode).toBe(200);
    const unused = await launch(me); // never fetched: its frame never started
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    try {
      // within the lifetime nothing is abandoned
      await abandonExpiredLaunches({ db: t.db, clock }, HOME);
      expect(await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/abandoned')).toEqual([]);
      offsetMs = 3 * 60 * 60 * 1000 + 60_000;
      const handler = launchJobHandlers({ homePage: HOME, clock })[ABANDON_LAUNCHES_JOB];
      await handler?.({} as never, { db: t.db, progress: async () => {} });
      const abandoned = await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/abandoned');
      const mine = abandoned.find((s) => s.context.extensions[SESSION] === l.sessionId);
      expect(mine?.object.id).toBe(ACTIVITY);
      expect(mine?.result?.duration).toMatch(/^PT(29\d|30\d)S$/); // fetched, then a statement five minutes later
      expect(abandoned.find((s) => s.context.extensions[SESSION] === unused.sessionId)?.result?.duration).toBe('PT0S');
      // a second run writes nothing again
      await abandonExpiredLaunches({ db: t.db, clock }, HOME);
      expect((await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/abandoned')).length).toBe(abandoned.length);
      expect(await fetchToken(unused.fetch)).toMatchObject({ 'error-code': '1' });
    } finally {
      offsetMs = 0;
    }
    const [row] = await t.db.select().from(externalLaunches).where(eq(externalLaunches.id, l.sessionId));
    expect(row).toMatchObject({ endedAs: 'abandoned' });
    expect(await lessonStatus(me)).not.toBe('completed');
  });
});

describe("a trainer's preview of an external lesson", () => {
  it('launches the same activity in a preview session whose statements are marked and never count as learning', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/trainer/courses/${courseId}/preview/${LESSON}/launch`,
      headers: bearer(admin),
      payload: { origin: endpoint },
    });
    expect(res.statusCode, res.body).toBe(200);
    const l = res.json() as Launch;
    expect(l).toMatchObject({ preview: true, launchMode: 'Normal', activityId: ACTIVITY, registration: l.sessionId });
    expect(new URL(l.launchUrl).pathname).toBe('/activities/nhan-biet-tin-nhan-lua-dao/index.html');
    const auth = (await fetchToken(l.fetch))['auth-token'] as string;
    const state = await t.app.inject({
      method: 'GET',
      url: '/xapi/activities/state',
      query: { activityId: ACTIVITY, agent: JSON.stringify(l.actor), registration: l.registration, stateId: 'LMS.LaunchData' },
      headers: basic(auth),
    });
    expect(state.json().contextTemplate.extensions).toMatchObject({ [SESSION]: l.sessionId, [PREVIEW]: true });
    const [launched] = await stored(l.registration, 'http://adlnet.gov/expapi/verbs/launched');
    expect(launched?.context.extensions[PREVIEW]).toBe(true);

    const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/xapi/statements', headers: basic(auth), payload: body as object });
    expect((await post(statement(l.actor, l.registration))).statusCode).toBe(200);
    expect(await stored(l.registration, 'https://w3id.org/xapi/adl/verbs/satisfied')).toEqual([]);
    const rows = await t.db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, l.registration));
    expect(rows).toEqual([]);
    const mine = await t.app.inject({ method: 'GET', url: '/api/me/learning', headers: bearer(admin) });
    expect(mine.json().items.find((i: { course: { id: string } }) => i.course.id === courseId)).toBeUndefined();
  });

  it('is for the course editors only, and only for external lessons (the field named)', async () => {
    const citizen = await learner();
    const url = `/api/trainer/courses/${courseId}/preview/${LESSON}/launch`;
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(citizen.token), payload: {} })).statusCode).toBe(403);
    const trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
    const notOwner = await t.app.inject({ method: 'POST', url, headers: bearer(trainer), payload: {} });
    expect(notOwner.statusCode).toBe(403);
    const text = await t.app.inject({
      method: 'POST',
      url: `/api/trainer/courses/${courseId}/preview/nhan-biet.cac-chieu-lua-thuong-gap/launch`,
      headers: bearer(admin),
      payload: {},
    });
    expect(text.statusCode).toBe(400);
    expect(text.json().details[0].field).toBe('/params/lessonId');
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/trainer/courses/${courseId}/preview/khong-co/launch`,
      headers: bearer(admin),
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
  });
});
