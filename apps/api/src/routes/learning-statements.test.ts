import { evidenceChain } from '@hts/db';
import { eventStatementId, verifyChain } from '@hts/domain';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let trainer: string;
beforeAll(async () => {
  t = await createTestApp();
  trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
const xapiGet = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: { ...bearer(token), 'x-experience-api-version': '1.0.3' } });

const common = { minutes: 3, required: true, competences: ['tt02:4.2'], targetGroups: ['nong-dan'] };
const courseDraft = {
  title: 'Khóa học có sổ xAPI',
  summary: 'Khóa học thử nghiệm về kỹ năng số',
  level: 'co-ban',
  language: 'vi',
  sequence: 'free',
  competences: ['tt02:4.2'],
  targetGroups: ['nong-dan'],
  modules: [
    {
      id: 'mot',
      title: 'Phần một',
      competences: ['tt02:4.2'],
      targetGroups: ['nong-dan'],
      lessons: [
        { ...common, id: 'mot.doc', title: 'Bài đọc', kind: 'text', text: { markdown: '# Xin chào' } },
        {
          ...common,
          id: 'mot.kiem-tra',
          title: 'Kiểm tra',
          kind: 'quiz',
          quiz: {
            passPercent: 100,
            drawCount: null,
            questions: [
              {
                id: 'a',
                kind: 'true-false',
                prompt: 'Mã OTP có được đưa cho người lạ không?',
                options: [],
                answer: false,
                accept: [],
                feedback: { correct: 'Đúng rồi', incorrect: 'Chưa đúng' },
                competences: ['tt02:4.2'],
              },
            ],
          },
        },
      ],
    },
  ],
};

type Statement = { id: string; verb: { id: string }; object: { id: string }; result?: { score?: { scaled: number } }; authority: unknown };
const verbs = (list: Statement[]) => list.map((s) => s.verb.id.replace('http://adlnet.gov/expapi/verbs/', '')).sort();

describe('learning events as xAPI statements', () => {
  it('answers "what did this person do" in one query after progress, quiz attempts and a completion, and a replay adds nothing', async () => {
    const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-xapi-${Date.now()}`, title: 'Khóa xAPI' });
    const courseId = created.json().course.id as string;
    expect((await call('PUT', `/api/trainer/courses/${courseId}/draft`, trainer, { draft: courseDraft })).statusCode).toBe(200);
    expect((await call('POST', `/api/trainer/courses/${courseId}/publish`, trainer, {})).statusCode).toBe(200);

    const learner = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
    const userId = (await call('GET', '/api/me', learner)).json().id as string;
    await call('POST', `/api/courses/${courseId}/enrolments`, learner, {});
    const opened = { id: `mo-${userId}`, courseId, lessonId: 'mot.doc', kind: 'opened' };
    expect((await call('POST', '/api/progress', learner, { events: [opened] })).json().results[0]).toMatchObject({ status: 'accepted' });
    const failing = (await call('POST', `/api/courses/${courseId}/lessons/mot.kiem-tra/attempts`, learner, {})).json().id as string;
    await call('POST', `/api/attempts/${failing}/submit`, learner, { answers: [{ questionId: 'a', value: true }] });
    const passing = (await call('POST', `/api/courses/${courseId}/lessons/mot.kiem-tra/attempts`, learner, {})).json().id as string;
    const passed = await call('POST', `/api/attempts/${passing}/submit`, learner, { answers: [{ questionId: 'a', value: false }] });
    expect(passed.json()).toMatchObject({ passed: true, courseCompleted: true });
    // the phone flushes its queue again: a replay writes no second statement
    await call('POST', '/api/progress', learner, { events: [opened] });

    const agent = encodeURIComponent(JSON.stringify({ account: { homePage: 'http://localhost:3000', name: userId } }));
    const answer = await xapiGet(`/xapi/statements?agent=${agent}`, learner);
    expect(answer.statusCode, answer.body).toBe(200);
    const statements = answer.json().statements as Statement[];
    expect(verbs(statements)).toEqual(['completed', 'failed', 'passed', 'progressed']);
    const byVerb = (v: string) => statements.find((s) => s.verb.id.endsWith(`/${v}`)) as Statement;
    const base = 'http://localhost:3000/xapi/activities';
    expect(byVerb('progressed').object.id).toBe(`${base}/lesson/${courseId}/mot.doc`);
    expect(byVerb('passed').object.id).toBe(`${base}/quiz/${courseId}/mot.kiem-tra`);
    expect(byVerb('failed').result?.score?.scaled).toBe(0);
    expect(byVerb('completed').object.id).toBe(`${base}/course/${courseId}`);
    // statement ids come from the events' ids: deterministic, so a replay of an event is the same statement
    expect(byVerb('passed').id).toBe(eventStatementId(`quiz-attempt:${passing}`));
    expect(byVerb('progressed').id).toBe(eventStatementId(`progress:${userId}:${opened.id}`));

    // the course's activity finds the completion too
    const byActivity = await xapiGet(`/xapi/statements?activity=${encodeURIComponent(`${base}/course/${courseId}`)}`, learner);
    expect(verbs(byActivity.json().statements)).toEqual(['completed']);

    // the completion is chained once, as the course completion; the statements add no second entry
    const chained = await t.db
      .select({ kind: evidenceChain.kind })
      .from(evidenceChain)
      .where(
        inArray(
          evidenceChain.subjectId,
          statements.map((s) => s.id),
        ),
      );
    expect(chained).toEqual([]);
    const all = await t.db.select({ kind: evidenceChain.kind, payload: evidenceChain.payload }).from(evidenceChain);
    expect(all.filter((e) => e.kind === 'course.completion' && e.payload.userId === userId)).toHaveLength(1);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
  });
});
