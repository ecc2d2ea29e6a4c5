import { randomUUID } from 'node:crypto';
import { courseCompletions, enrolments, jobs, lessonProgress, queryRows } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

/**
 * Every writer of a learner's lesson_progress takes the same per-learner lock (learner-lock.ts), so two of
 * them running at once give what one after the other gives. Real concurrency needs PostgreSQL
 * (TEST_DATABASE_URL): PGlite runs one statement at a time, where these pass trivially.
 */
const HOME = 'http://localhost:3000';
const ACTIVITY = 'https://h5p.example.vn/activities/khoa-lop-hoc';
let t: TestApp;
let trainer: string;
beforeAll(async () => {
  t = await createTestApp();
  trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

const base = { minutes: 3, required: true, competences: ['tt02:4.2'], targetGroups: ['nong-dan'] };
const quizLesson = {
  ...base,
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
        prompt: 'Không đưa mã OTP cho ai?',
        options: [],
        answer: true,
        accept: [],
        feedback: { correct: 'Đúng rồi', incorrect: 'Chưa đúng' },
        competences: ['tt02:4.2'],
      },
    ],
  },
};
const externalLesson = {
  ...base,
  id: 'mot.thuc-hanh',
  title: 'Thực hành',
  kind: 'external',
  external: { launchUrl: 'https://h5p.example.vn/lab', rule: 'completed', activityId: ACTIVITY },
};
const textLesson = (markdown: string) => ({ ...base, id: 'mot.doc', title: 'Bài đọc', kind: 'text', text: { markdown } });
const doc = (lessons: object[]) => ({
  title: 'Khóa thử khóa học viên',
  summary: 'Hai người ghi cùng lúc',
  level: 'co-ban',
  language: 'vi',
  sequence: 'free',
  competences: ['tt02:4.2'],
  targetGroups: ['nong-dan'],
  modules: [{ id: 'mot', title: 'Phần một', competences: ['tt02:4.2'], targetGroups: ['nong-dan'], lessons }],
});

async function publish(id: string, lessons: object[]) {
  expect((await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: doc(lessons) })).statusCode).toBe(200);
  expect((await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {})).statusCode).toBe(200);
}
async function course(lessons: object[]): Promise<string> {
  const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-khoa-${randomUUID().slice(0, 8)}`, title: 'Khóa thử' });
  const id = created.json().course.id as string;
  await publish(id, lessons);
  return id;
}
async function learner(courseId: string) {
  const token = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
  const userId = (await call('GET', '/api/me', token)).json().id as string;
  expect((await call('POST', `/api/courses/${courseId}/enrolments`, token, {})).statusCode).toBe(201);
  const [enrolment] = await t.db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
  return { token, userId, enrolmentId: enrolment?.id as string };
}

async function waitFor(done: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** Waits until this many other sessions of the test database wait on a lock (a row lock or an advisory one). */
async function waitForLockWaiters(n: number): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const rows = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= n) return;
    if (Date.now() > until) throw new Error(`fewer than ${n} sessions wait on a lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the per-learner lock, taken by every writer of lesson_progress', () => {
  /**
   * Both writers read the learner's state, then write their lesson and touch the enrolment row. The test
   * holds that row (FOR UPDATE) until both writers are waiting on a lock, so without the learner's lock both
   * would have read a state without the other's lesson, and neither would complete the course.
   */
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'completes the course once when a quiz pass and an LRS completion of the last two required lessons arrive together',
    async () => {
      const courseId = await course([quizLesson, externalLesson]);
      for (let round = 0; round < 3; round++) {
        const me = await learner(courseId);
        const attempt = (await call('POST', `/api/courses/${courseId}/lessons/mot.kiem-tra/attempts`, me.token, {})).json();
        const launch = (await call('POST', `/api/courses/${courseId}/lessons/mot.thuc-hanh/launch`, me.token, {})).json();
        const url = new URL(launch.fetch);
        const auth = (await t.app.inject({ method: 'POST', url: url.pathname + url.search })).json()['auth-token'] as string;
        let quiz: Awaited<ReturnType<typeof call>> | undefined;
        let lrs: Awaited<ReturnType<typeof call>> | undefined;
        await t.db.transaction(async (tx) => {
          await tx.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.id, me.enrolmentId)).for('update');
          const both = Promise.all([
            call('POST', `/api/attempts/${attempt.id}/submit`, me.token, { answers: [{ questionId: 'a', value: true }] }).then((r) => {
              quiz = r;
            }),
            t.app
              .inject({
                method: 'POST',
                url: '/xapi/statements',
                headers: { authorization: `Basic ${auth}`, 'x-experience-api-version': '1.0.3' },
                payload: {
                  actor: { objectType: 'Agent', account: { homePage: HOME, name: me.userId } },
                  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
                  object: { objectType: 'Activity', id: ACTIVITY },
                  context: { registration: launch.registration },
                },
              })
              .then((r) => {
                lrs = r;
              }),
          ]);
          // both writers are inside their transactions, each waiting on a lock (the row, or the learner's)
          await waitForLockWaiters(2);
          void both;
        });
        await waitFor(() => quiz !== undefined && lrs !== undefined);
        expect(quiz?.statusCode, quiz?.body).toBe(200);
        expect(lrs?.statusCode, lrs?.body).toBe(200);
        // in either serial order the second writer sees both lessons done and completes the course
        const progress = await t.db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, me.enrolmentId));
        expect(
          progress
            .filter((p) => p.completedAt)
            .map((p) => p.lessonId)
            .sort(),
        ).toEqual(['mot.kiem-tra', 'mot.thuc-hanh']);
        const completions = await t.db.select().from(courseCompletions).where(eq(courseCompletions.enrolmentId, me.enrolmentId));
        expect(completions, `round ${round}`).toHaveLength(1);
        const queued = await t.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.kind, 'course.completed'), sql`${jobs.payload}->>'enrolmentId' = ${me.enrolmentId}`));
        expect(queued).toHaveLength(1);
      }
    },
  );

  it('gives a progress batch and a move to a newer version what one after the other gives', async () => {
    const courseId = await course([textLesson('# Bản một'), quizLesson]);
    const learners = [];
    for (let i = 0; i < 6; i++) learners.push(await learner(courseId));
    // version 2 changes the text lesson: a move resets its progress, a lesson opened after the move is kept
    await publish(courseId, [textLesson('# Bản hai, đã sửa'), quizLesson]);
    for (const me of learners) {
      const [opened, moved] = await Promise.all([
        call('POST', '/api/progress', me.token, { events: [{ id: `mo-${randomUUID()}`, courseId, lessonId: 'mot.doc', kind: 'opened' }] }),
        call('POST', `/api/courses/${courseId}/enrolments/mine/version`, me.token, {}),
      ]);
      expect(opened.statusCode, opened.body).toBe(200);
      expect(moved.statusCode, moved.body).toBe(200);
      const rows = await t.db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, me.enrolmentId));
      const movedFirst = moved.json().resetLessons.length === 0;
      // progress first: the move resets the lesson (no row left); move first: the lesson opened on version 2 stays complete
      if (movedFirst) expect(rows.map((r) => [r.lessonId, Boolean(r.completedAt)])).toEqual([['mot.doc', true]]);
      else {
        expect(moved.json().resetLessons).toEqual(['mot.doc']);
        expect(rows).toEqual([]);
      }
    }
  });
});
