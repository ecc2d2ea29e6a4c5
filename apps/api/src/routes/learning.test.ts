import { courseCompletions, evidenceChain, jobs, lessonProgress, progressEvents } from '@hts/db';
import { verifyChain } from '@hts/domain';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let trainer: string;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

const question = (id: string, kind: string, extra: Record<string, unknown>) => ({
  id,
  kind,
  prompt: `Câu hỏi ${id}`,
  options: [],
  answer: null,
  accept: [],
  feedback: { correct: 'Đúng rồi', incorrect: 'Chưa đúng' },
  competences: ['tt02:4.2'],
  ...extra,
});
const lessonBase = { minutes: 3, required: true, competences: ['tt02:4.2'], targetGroups: ['nong-dan'] };
function draft(title: string, sequence: 'locked' | 'free' = 'locked') {
  return {
    title,
    summary: 'Khóa học thử nghiệm về kỹ năng số',
    level: 'co-ban',
    language: 'vi',
    sequence,
    competences: ['tt02:4.2'],
    targetGroups: ['nong-dan'],
    modules: [
      {
        id: 'mot',
        title: 'Phần một',
        competences: ['tt02:4.2'],
        targetGroups: ['nong-dan'],
        lessons: [
          { ...lessonBase, id: 'mot.doc', title: 'Bài đọc', kind: 'text', text: { markdown: '# Xin chào\n\n<script>alert(1)</script>' } },
          {
            ...lessonBase,
            id: 'mot.xem',
            title: 'Bài xem',
            kind: 'video',
            video: { hlsUrl: '/media/demo/index.m3u8', mediaAssetId: null, durationSeconds: 100, watchPercent: 90 },
          },
          {
            ...lessonBase,
            id: 'mot.kiem-tra',
            title: 'Kiểm tra',
            kind: 'quiz',
            quiz: {
              passPercent: 60,
              drawCount: null,
              questions: [
                question('a', 'single', {
                  options: [
                    { id: 'x', text: 'X', correct: true },
                    { id: 'y', text: 'Y', correct: false },
                  ],
                }),
                question('b', 'true-false', { answer: true }),
                question('c', 'short', { accept: ['mã OTP'] }),
              ],
            },
          },
        ],
      },
    ],
  };
}

let n = 0;
async function publishedCourse(sequence: 'locked' | 'free' = 'locked', doc: object = draft(`Khóa thử ${n + 1}`, sequence)) {
  n += 1;
  const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-thu-${Date.now()}-${n}`, title: 'Khóa thử' });
  expect(created.statusCode).toBe(201);
  const id = created.json().course.id as string;
  expect((await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: doc })).statusCode).toBe(200);
  const published = await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {});
  expect(published.statusCode, published.body).toBe(200);
  return { id, slug: created.json().course.slug as string };
}
async function citizen() {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() });
  return res.json().accessToken as string;
}
let eventNo = 0;
const ev = (courseId: string, lessonId: string, kind: string, extra: Record<string, unknown> = {}) => ({
  id: `ev-${Date.now()}-${++eventNo}`,
  courseId,
  lessonId,
  kind,
  ...extra,
});
const progress = (token: string, events: unknown[]) => call('POST', '/api/progress', token, { events });
const answersAllRight = [
  { questionId: 'a', choices: ['x'] },
  { questionId: 'b', value: true },
  { questionId: 'c', text: 'ma otp' },
];

describe('authoring and publishing', () => {
  it('lets a trainer create, fill and publish a course that then shows in the catalog', async () => {
    const { slug } = await publishedCourse();
    const page = await call('GET', `/api/courses/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.json().versionNumber).toBe(1);
    const mine = await call('GET', '/api/trainer/courses', trainer);
    expect(mine.json().items.find((c: { slug: string }) => c.slug === slug)).toMatchObject({ publishedVersion: 1, hasDraft: false });
  });

  it('makes a published course findable in the catalog at once, though the catalog had just answered without it', async () => {
    const word = `nuoiong${Date.now()}`;
    const search = async () => (await call('GET', `/api/courses?q=${word}`)).json().items.map((c: { title: string }) => c.title);
    expect(await search()).toEqual([]); // this answer is now cached
    const doc = draft(`Khóa ${word} mật`);
    const { id } = await publishedCourse('locked', doc);
    expect(await search()).toEqual([`Khóa ${word} mật`]);
    // a new version with a new title replaces the old one in the catalog at once too
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: { ...doc, title: `Khóa ${word} mật, bản mới` } });
    expect((await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {})).statusCode).toBe(200);
    expect(await search()).toEqual([`Khóa ${word} mật, bản mới`]);
  });

  it('refuses to publish a draft naming an unknown competence, pointing at the field', async () => {
    const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-loi-${Date.now()}`, title: 'Khóa lỗi' });
    const id = created.json().course.id;
    const bad = draft('Khóa lỗi');
    const first = bad.modules[0]?.lessons[0];
    if (first) first.competences = ['tt02:4.2', 'tt02:9.9'];
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: bad });
    const res = await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/draft/modules/0/lessons/0/competences/1');
  });

  it('answers 409 for a slug already taken and 400 for a draft missing fields', async () => {
    const taken = await call('POST', '/api/trainer/courses', trainer, { slug: 'phong-tranh-lua-dao-truc-tuyen', title: 'Trùng' });
    expect(taken.statusCode).toBe(409);
    const { id } = await publishedCourse();
    const res = await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: { title: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.some((d: { field: string }) => d.field.startsWith('/body/draft'))).toBe(true);
  });

  it('forbids a citizen from authoring and another trainer from editing a course they do not own', async () => {
    const token = await citizen();
    expect((await call('POST', '/api/trainer/courses', token, { slug: 'khoa-cua-toi', title: 'Khóa' })).statusCode).toBe(403);
    const { id } = await publishedCourse();
    const other = await call('POST', '/api/admin/users', admin, {
      email: `gv.${Date.now()}@example.vn`,
      fullName: 'Giảng viên Hai',
      password: 'mat-khau-gv-2',
      roles: [{ role: 'trainer' }],
    });
    const otherToken = (await signInAs(t.app, other.json().email, 'mat-khau-gv-2')).accessToken;
    expect((await call('GET', `/api/trainer/courses/${id}`, otherToken)).statusCode).toBe(403);
    // an admin reassigns it: now the other trainer can edit it
    expect((await call('PUT', `/api/admin/courses/${id}/owner`, admin, { ownerId: other.json().id })).statusCode).toBe(200);
    expect((await call('GET', `/api/trainer/courses/${id}`, otherToken)).statusCode).toBe(200);
  });
});

describe('version pinning', () => {
  it('keeps an enrolled learner on their version after the course is edited and republished', async () => {
    const { id, slug } = await publishedCourse();
    const learner = await citizen();
    expect((await call('POST', `/api/courses/${id}/enrolments`, learner, {})).json().versionNumber).toBe(1);
    await progress(learner, [ev(id, 'mot.doc', 'opened')]);
    const v2 = draft('Khóa thử đã sửa');
    v2.modules[0]?.lessons.splice(0, 1, { ...lessonBase, id: 'mot.doc-moi', title: 'Bài đọc mới', kind: 'text', text: { markdown: 'mới' } });
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: v2 });
    expect((await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {})).json().publishedVersion).toBe(2);

    const mine = (await call('GET', `/api/courses/${slug}`, learner)).json();
    expect(mine.versionNumber).toBe(1);
    expect(mine.enrolment).toMatchObject({ versionNumber: 1, newerVersion: true, completedLessons: 1 });
    expect(mine.modules[0].lessons[0]).toMatchObject({ id: 'mot.doc', status: 'completed' });
    expect((await call('GET', `/api/courses/${id}/lessons/mot.doc-moi`, learner)).statusCode).toBe(404);

    const newcomer = await citizen();
    expect((await call('POST', `/api/courses/${id}/enrolments`, newcomer, {})).json().versionNumber).toBe(2);
  });

  it('rejects changing a published version in the database itself', async () => {
    const err = await t.app.services.db
      .execute(sql`update course_versions set number = number + 100`)
      .then(() => null)
      .catch((e: Error & { cause?: Error }) => e.cause ?? e);
    expect(err?.message).toMatch(/course_versions is append-only/);
  });
});

describe('progress and completion rules', () => {
  it('completes a text lesson when opened, and renders it without the script', async () => {
    const { id } = await publishedCourse();
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const lesson = await call('GET', `/api/courses/${id}/lessons/mot.doc`, learner);
    expect(lesson.json().html).toContain('<h2>Xin chào</h2>');
    expect(lesson.json().html).not.toContain('<script');
    const res = await progress(learner, [ev(id, 'mot.doc', 'opened')]);
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', lessonCompleted: true, courseCompleted: false });
  });

  it('keeps the next lesson locked until the one before is complete', async () => {
    const { id } = await publishedCourse('locked');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    expect((await call('GET', `/api/courses/${id}/lessons/mot.xem`, learner)).statusCode).toBe(403);
    const res = await progress(learner, [ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 50]], position: 50, wallSeconds: 50 } })]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^locked/) });
  });

  it('completes a video only at the watch percentage, counting rewatched seconds once, and resumes at the last position', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const first = await progress(learner, [
      ev(id, 'mot.xem', 'video', {
        video: {
          intervals: [
            [0, 50],
            [0, 50],
          ],
          position: 50,
          wallSeconds: 60,
        },
      }),
    ]);
    expect(first.json().results[0]).toMatchObject({ status: 'accepted', lessonCompleted: false });
    expect((await call('GET', `/api/courses/${id}/lessons/mot.xem`, learner)).json().video.position).toBe(50);
    const second = await progress(learner, [ev(id, 'mot.xem', 'video', { video: { intervals: [[45, 95]], position: 95, wallSeconds: 50 } })]);
    expect(second.json().results[0]).toMatchObject({ status: 'accepted', lessonCompleted: true });
  });

  it('rejects and flags a watch report beyond the duration or faster than real time', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const res = await progress(learner, [
      ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 500]], position: 100, wallSeconds: 500 } }),
      ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 100]], position: 100, wallSeconds: 5 } }),
    ]);
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected']);
    expect(res.json().results[0].reason).toMatch(/beyond the media/);
    expect(res.json().results[1].reason).toMatch(/faster than real time/);
    expect(res.json().results[1].lessonCompleted).toBe(false);
  });

  it('never completes a quiz from a progress event: only a graded attempt does', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const res = await progress(learner, [ev(id, 'mot.kiem-tra', 'opened')]);
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', lessonCompleted: false });
  });
});

describe('idempotent progress', () => {
  it('returns the first answer on a replay and 409 for the same id with other content', async () => {
    const { id } = await publishedCourse();
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const event = ev(id, 'mot.doc', 'opened');
    const first = await progress(learner, [event]);
    const again = await progress(learner, [event]);
    expect(again.statusCode).toBe(200);
    expect(again.json().results[0]).toEqual({ ...first.json().results[0], replayed: true });
    const changed = await progress(learner, [{ ...event, lessonId: 'mot.xem' }]);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().details[0].field).toBe('/body/events/0/id');
  });

  it('accepts a batch mixing replays and new events', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const a = ev(id, 'mot.doc', 'opened');
    await progress(learner, [a]);
    const b = ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 10]], position: 10, wallSeconds: 10 } });
    const res = await progress(learner, [a, b]);
    expect(res.json().results.map((r: { replayed: boolean }) => r.replayed)).toEqual([true, false]);
  });

  it('stores a batch that arrives twice at the same moment once, and answers both', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const batch = [ev(id, 'mot.doc', 'opened'), ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 30]], position: 30, wallSeconds: 30 } })];
    const [one, two] = await Promise.all([progress(learner, batch), progress(learner, batch)]);
    expect([one?.statusCode, two?.statusCode]).toEqual([200, 200]);
    const answers = [one?.json().results, two?.json().results];
    // one of them wrote the events, the other got the stored answers back
    expect(answers.map((r) => r.every((x: { replayed: boolean }) => x.replayed)).sort()).toEqual([false, true]);
    const ids = batch.map((e) => e.id);
    const rows = await t.app.services.db.select().from(progressEvents).where(inArray(progressEvents.eventId, ids));
    expect(rows).toHaveLength(2);
  });

  it('applies every event of a batch to one lesson in order, counting the impossible report among them', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    const enrolment = (await call('POST', `/api/courses/${id}/enrolments`, learner, {})).json().id as string;
    const video = (intervals: number[][], position: number, wallSeconds: number) => ev(id, 'mot.xem', 'video', { video: { intervals, position, wallSeconds } });
    const res = await progress(learner, [video([[0, 50]], 50, 50), video([[50, 100]], 100, 5), video([[50, 95]], 95, 45)]);
    expect(res.json().results.map((r: { status: string; lessonCompleted: boolean }) => [r.status, r.lessonCompleted])).toEqual([
      ['accepted', false],
      ['rejected', false],
      ['accepted', true],
    ]);
    const [row] = await t.app.services.db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.enrolmentId, enrolment), eq(lessonProgress.lessonId, 'mot.xem')));
    expect(row).toMatchObject({ videoIntervals: [[0, 95]], videoPosition: 95, flaggedReports: 1 });
    expect(row?.completedAt).not.toBeNull();
  });

  it('answers 404 for progress in a course that is not published, and 403 when not enrolled', async () => {
    const learner = await citizen();
    const draftOnly = await call('POST', '/api/trainer/courses', trainer, { slug: `chua-xuat-ban-${Date.now()}`, title: 'Chưa xuất bản' });
    const unpublished = await progress(learner, [ev(draftOnly.json().course.id, 'mot.doc', 'opened')]);
    expect(unpublished.statusCode).toBe(404);
    expect(unpublished.json().details[0].field).toBe('/body/events/0/courseId');
    const { id } = await publishedCourse();
    expect((await progress(learner, [ev(id, 'mot.doc', 'opened')])).statusCode).toBe(403);
  });
});

describe('quiz attempts and course completion', () => {
  it('grades on the server, gives feedback, and a pass completes the course once with a course.completed job', async () => {
    const { id, slug } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    await progress(learner, [ev(id, 'mot.doc', 'opened'), ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 95]], position: 95, wallSeconds: 96 } })]);
    const attempt = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    expect(attempt.statusCode).toBe(201);
    expect(attempt.body).not.toContain('correct');
    const failed = await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, { answers: [{ questionId: 'a', choices: ['y'] }] });
    expect(failed.json()).toMatchObject({ scorePercent: 0, passed: false, courseCompleted: false });
    expect(failed.json().feedback[0]).toEqual({ questionId: 'a', correct: false, feedback: 'Chưa đúng' });

    const second = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    const passed = await call('POST', `/api/attempts/${second.json().id}/submit`, learner, { answers: answersAllRight });
    expect(passed.json()).toMatchObject({ scorePercent: 100, passed: true, courseCompleted: true });

    const page = (await call('GET', `/api/courses/${slug}`, learner)).json();
    expect(page.enrolment.completedAt).not.toBeNull();
    const db = t.app.services.db;
    const completions = await db.select().from(courseCompletions).where(eq(courseCompletions.courseId, id));
    expect(completions).toHaveLength(1);
    const queued = (await db.select().from(jobs).where(eq(jobs.kind, 'course.completed'))).filter((j) => j.payload.courseId === id);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.payload).toMatchObject({ completionId: completions[0]?.id, competences: ['tt02:4.2'] });
    // the completion is in the tamper-evident chain, and the chain still verifies end to end
    const chained = await db
      .select()
      .from(evidenceChain)
      .where(eq(evidenceChain.subjectId, completions[0]?.id ?? ''));
    expect(chained).toMatchObject([{ kind: 'course.completion', payload: { courseId: id } }]);
    expect(await verifyChain(db)).toMatchObject({ ok: true });

    // a third, passing attempt changes nothing: the completion is written once
    const third = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    await call('POST', `/api/attempts/${third.json().id}/submit`, learner, { answers: answersAllRight });
    expect(await db.select().from(courseCompletions).where(eq(courseCompletions.courseId, id))).toHaveLength(1);
    expect(
      await db
        .select()
        .from(evidenceChain)
        .where(eq(evidenceChain.subjectId, completions[0]?.id ?? '')),
    ).toHaveLength(1);
  });

  it('answers 400 for an answer to a question not in the attempt and 409 for a second submit', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const attempt = (await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {})).json();
    const stray = await call('POST', `/api/attempts/${attempt.id}/submit`, learner, { answers: [{ questionId: 'khong-co', value: true }] });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().details[0].field).toBe('/body/answers/0/questionId');
    expect((await call('POST', `/api/attempts/${attempt.id}/submit`, learner, { answers: answersAllRight })).statusCode).toBe(200);
    expect((await call('POST', `/api/attempts/${attempt.id}/submit`, learner, { answers: answersAllRight })).statusCode).toBe(409);
  });

  it("answers 404 for someone else's attempt", async () => {
    const { id } = await publishedCourse('free');
    const owner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, owner, {});
    const attempt = (await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, owner, {})).json();
    const stranger = await citizen();
    expect((await call('POST', `/api/attempts/${attempt.id}/submit`, stranger, { answers: [] })).statusCode).toBe(404);
  });

  it('lists my courses with progress and where to continue', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    await progress(learner, [ev(id, 'mot.doc', 'opened'), ev(id, 'mot.xem', 'video', { video: { intervals: [[0, 20]], position: 20, wallSeconds: 20 } })]);
    const res = await call('GET', '/api/me/learning', learner);
    expect(res.json().items[0]).toMatchObject({
      completedLessons: 1,
      totalLessons: 3,
      percent: 33,
      finalTest: null,
      nextLessonId: 'mot.xem',
      completedAt: null,
    });
  });

  it('counts only required lessons in the progress of the course page and of my courses: an optional lesson done never fills the bar', async () => {
    const doc = draft('Khóa có bài tùy chọn', 'free');
    const lessons = doc.modules[0]?.lessons as Array<{ id: string; required: boolean }>;
    for (const l of lessons) if (l.id === 'mot.doc') l.required = false;
    const { id, slug } = await publishedCourse('free', doc);
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    await progress(learner, [ev(id, 'mot.doc', 'opened')]);
    const page = (await call('GET', `/api/courses/${slug}`, learner)).json();
    expect(page.enrolment).toMatchObject({ completedLessons: 0, totalLessons: 2, percent: 0, finalTest: null, completedAt: null });
    const mine = (await call('GET', '/api/me/learning', learner)).json().items[0];
    expect(mine).toMatchObject({ completedLessons: 0, totalLessons: 2, percent: 0 });
    // the required quiz passed: one of two
    const attempt = (await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {})).json();
    await call('POST', `/api/attempts/${attempt.id}/submit`, learner, { answers: answersAllRight });
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toMatchObject({ completedLessons: 1, totalLessons: 2, percent: 50 });
  });
});

describe('the course completion rule', () => {
  it('completes a course with a final test when that test is passed, even with other required lessons left', async () => {
    const { id, slug } = await publishedCourse('free', { ...draft('Khóa có bài thi cuối', 'free'), finalTestId: 'mot.kiem-tra' });
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    // the progress says the course completes by its final test
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toMatchObject({
      percent: 0,
      finalTest: { lessonId: 'mot.kiem-tra', title: 'Kiểm tra', passed: false },
    });
    const attempt = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    const passed = await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, { answers: answersAllRight });
    expect(passed.json()).toMatchObject({ passed: true, courseCompleted: true });
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toMatchObject({ percent: 100, finalTest: { passed: true } });
  });

  it('without a final test, waits for every required lesson although the quiz is passed', async () => {
    const { id } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const attempt = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    const passed = await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, { answers: answersAllRight });
    expect(passed.json()).toMatchObject({ passed: true, courseCompleted: false });
  });

  it('refuses to publish a final test that is not a quiz lesson, naming the field', async () => {
    const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-thi-sai-${Date.now()}`, title: 'Khóa thi sai' });
    const id = created.json().course.id;
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: { ...draft('Khóa thi sai'), finalTestId: 'mot.doc' } });
    const res = await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/draft/finalTestId');
  });
});

describe('preview as a learner', () => {
  it('shows the draft lesson as the player does, with the whole question bank and no answers, to the owner only', async () => {
    const created = await call('POST', '/api/trainer/courses', trainer, { slug: `khoa-xem-truoc-${Date.now()}`, title: 'Khóa xem trước' });
    const id = created.json().course.id;
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: draft('Khóa xem trước') });
    const text = await call('GET', `/api/trainer/courses/${id}/preview/mot.doc`, trainer);
    expect(text.statusCode).toBe(200);
    expect(text.json().lesson.html).toContain('<h2>Xin chào</h2>');
    expect(text.json().lesson.html).not.toContain('<script');
    const quiz = await call('GET', `/api/trainer/courses/${id}/preview/mot.kiem-tra`, trainer);
    expect(quiz.json().questions.map((q: { id: string }) => q.id)).toEqual(['a', 'b', 'c']);
    expect(quiz.body).not.toMatch(/"correct"|"accept"|"answer"/);
    expect((await call('GET', `/api/trainer/courses/${id}/preview/mot.khong-co`, trainer)).statusCode).toBe(404);
    expect((await call('GET', `/api/trainer/courses/${id}/preview/mot.doc`, await citizen())).statusCode).toBe(403);
  });
});

describe('external activity lessons', () => {
  const activityId = 'https://h5p.example.vn/activities/thuc-hanh-otp';
  const externalDraft = () => {
    const d = draft('Khóa có bài thực hành', 'free');
    const module = d.modules[0];
    if (module)
      module.lessons = [
        {
          ...lessonBase,
          id: 'mot.thuc-hanh',
          title: 'Thực hành',
          kind: 'external',
          external: { launchUrl: 'https://h5p.example.vn/lab', rule: 'passed', activityId },
        } as never,
      ];
    return d;
  };
  const statement = (userId: string, verb: string, object = activityId) => ({
    actor: { objectType: 'Agent', account: { homePage: 'http://localhost:3000', name: userId } },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    object: { objectType: 'Activity', id: object },
  });
  const xapi = (token: string, body: unknown) =>
    t.app.inject({ method: 'POST', url: '/xapi/statements', headers: { ...bearer(token), 'x-experience-api-version': '1.0.3' }, payload: body as object });

  it('completes from a passed statement at the LRS, not from the browser reporting a result', async () => {
    const { id, slug } = await publishedCourse('free', externalDraft());
    const learner = await citizen();
    const me = (await call('GET', '/api/me', learner)).json();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});

    const claimed = await progress(learner, [ev(id, 'mot.thuc-hanh', 'external', { external: { result: 'passed' } })]);
    expect(claimed.json().results[0]).toMatchObject({ status: 'accepted', lessonCompleted: false, courseCompleted: false });

    // completed is not enough for a lesson whose rule is "passed"; another activity changes nothing
    expect((await xapi(learner, [statement(me.id, 'completed'), statement(me.id, 'passed', 'https://example.vn/khac')])).statusCode).toBe(200);
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment.completedAt).toBeNull();

    expect((await xapi(learner, statement(me.id, 'passed'))).statusCode).toBe(200);
    const page = (await call('GET', `/api/courses/${slug}`, learner)).json();
    expect(page.modules[0].lessons[0].status).toBe('completed');
    expect(page.enrolment.completedAt).not.toBeNull();
  });

  it('ignores a statement about someone else (the LRS refuses it) and completes nothing from an agent that is not a platform account', async () => {
    const { id, slug } = await publishedCourse('free', externalDraft());
    const learner = await citizen();
    const other = await citizen();
    const otherId = (await call('GET', '/api/me', other)).json().id;
    await call('POST', `/api/courses/${id}/enrolments`, other, {});
    expect((await xapi(learner, statement(otherId, 'passed'))).statusCode).toBe(403);
    const byMail = { ...statement(otherId, 'passed'), actor: { mbox: 'mailto:khac@example.vn' } };
    expect((await xapi(admin, byMail)).statusCode).toBe(200);
    expect((await call('GET', `/api/courses/${slug}`, other)).json().modules[0].lessons[0].status).not.toBe('completed');
  });
});

describe('bulk enrolment', () => {
  const register = async (overrides: Record<string, unknown>) => {
    const body = newCitizen(overrides);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return body as { email: string };
  };

  it('lets the trainer enrol a list of phones and e-mails, reporting who was not found and who was enrolled already', async () => {
    const { id, slug } = await publishedCourse('free');
    const a = await register({});
    const phone = `09${String(Date.now()).slice(-8)}`;
    await register({ email: undefined, phone });
    const res = await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, {
      contacts: [a.email.toUpperCase(), phone.replace(/^0/, '+84'), 'khong.co@example.vn', '0900000000', 'abc'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      versionNumber: 1,
      dryRun: false,
      matched: 2,
      enrolled: 2,
      alreadyEnrolled: 0,
      notFound: ['khong.co@example.vn', '0900000000'],
      invalid: ['abc'],
      outsideScope: [],
    });
    const again = await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, { contacts: [a.email] });
    expect(again.json()).toMatchObject({ enrolled: 0, alreadyEnrolled: 1 });
    const learner = (await signInAs(t.app, phone, 'mat-khau-123')).accessToken;
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toMatchObject({ versionNumber: 1 });
  });

  it('previews a list or a commune with a dry run: the same report, counting who would be enrolled, and nobody enrolled', async () => {
    const { id, slug } = await publishedCourse('free');
    const a = await register({});
    const b = await register({});
    await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, { contacts: [a.email] });
    const preview = await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, {
      contacts: [a.email, b.email, 'khong.co@example.vn', 'abc'],
      dryRun: true,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({
      versionNumber: 1,
      dryRun: true,
      matched: 2,
      enrolled: 1,
      alreadyEnrolled: 1,
      notFound: ['khong.co@example.vn'],
      invalid: ['abc'],
      outsideScope: [],
    });
    const learner = (await signInAs(t.app, b.email, 'mat-khau-123')).accessToken;
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toBeNull();

    const officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
    const byCommune = await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { communeCode: '07627', targetGroupCode: 'nong-dan', dryRun: true });
    expect(byCommune.json()).toMatchObject({ dryRun: true, alreadyEnrolled: 1 });
    expect(byCommune.json().enrolled).toBe(byCommune.json().matched - 1);
    const confirmed = await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { communeCode: '07627', targetGroupCode: 'nong-dan' });
    expect(confirmed.json()).toMatchObject({ dryRun: false, enrolled: byCommune.json().enrolled });
    expect((await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { communeCode: '07615', dryRun: true })).statusCode).toBe(403);
  });

  it('lets an officer enrol only people of the communes they cover, by list or by commune and target group', async () => {
    const { id } = await publishedCourse('free');
    const officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
    const inside = await register({ targetGroupCode: 'cong-nhan' });
    const outside = await register({ communeCode: '07615' });
    const byList = await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { contacts: [inside.email, outside.email] });
    expect(byList.json()).toMatchObject({ matched: 2, enrolled: 1, outsideScope: [outside.email] });
    const byCommune = await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { communeCode: '07627', targetGroupCode: 'cong-nhan' });
    expect(byCommune.statusCode).toBe(200);
    expect(byCommune.json().matched).toBeGreaterThanOrEqual(1);
    expect(byCommune.json().enrolled + byCommune.json().alreadyEnrolled).toBe(byCommune.json().matched);
    const foreign = await call('POST', `/api/courses/${id}/enrolments/bulk`, officer, { communeCode: '07615' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().details[0].field).toBe('/body/communeCode');
  });

  it('refuses a trainer who does not own the course, a citizen, and a body with both or neither selection', async () => {
    const { id } = await publishedCourse('free');
    const other = await call('POST', '/api/admin/users', admin, {
      email: `gv.bulk.${Date.now()}@example.vn`,
      fullName: 'Giảng viên Ba',
      password: 'mat-khau-gv-3',
      roles: [{ role: 'trainer' }],
    });
    const otherToken = (await signInAs(t.app, other.json().email, 'mat-khau-gv-3')).accessToken;
    expect((await call('POST', `/api/courses/${id}/enrolments/bulk`, otherToken, { contacts: ['a@example.vn'] })).statusCode).toBe(403);
    expect((await call('POST', `/api/courses/${id}/enrolments/bulk`, await citizen(), { contacts: ['a@example.vn'] })).statusCode).toBe(403);
    const both = await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, { contacts: ['a@example.vn'], communeCode: '07627' });
    expect(both.statusCode).toBe(400);
    expect((await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, {})).statusCode).toBe(400);
    expect((await call('POST', `/api/courses/${id}/enrolments/bulk`, trainer, { communeCode: '99999' })).statusCode).toBe(404);
  });
});

describe('moving to a newer version on request', () => {
  it('keeps progress of unchanged lessons, resets changed ones, and never moves without being asked', async () => {
    const { id, slug } = await publishedCourse('free');
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    await progress(learner, [ev(id, 'mot.doc', 'opened')]);
    const attempt = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, {
      answers: [
        { questionId: 'a', choices: ['x'] },
        { questionId: 'b', value: true },
        { questionId: 'c', text: 'ma otp' },
      ],
    });

    const v2 = draft('Khóa thử bản 2', 'free');
    const quizLesson = v2.modules[0]?.lessons[2];
    if (quizLesson && 'quiz' in quizLesson) quizLesson.quiz.passPercent = 90;
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: v2 });
    expect((await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {})).json().publishedVersion).toBe(2);
    expect((await call('GET', `/api/courses/${slug}`, learner)).json().enrolment).toMatchObject({ versionNumber: 1, newerVersion: true });

    const moved = await call('POST', `/api/courses/${id}/enrolments/mine/version`, learner, {});
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toEqual({
      moved: true,
      fromVersion: 1,
      versionNumber: 2,
      keptLessons: ['mot.doc'],
      resetLessons: ['mot.kiem-tra'],
      courseCompleted: false,
    });
    const page = (await call('GET', `/api/courses/${slug}`, learner)).json();
    expect(page.enrolment).toMatchObject({ versionNumber: 2, newerVersion: false, completedLessons: 1 });
    expect((await call('GET', `/api/courses/${id}/lessons/mot.kiem-tra`, learner)).json().quiz).toMatchObject({ passPercent: 90, passed: false });
    // asking again changes nothing
    expect((await call('POST', `/api/courses/${id}/enrolments/mine/version`, learner, {})).json()).toMatchObject({ moved: false, versionNumber: 2 });
  });

  it('keeps a completed course on the version it was completed on', async () => {
    const { id } = await publishedCourse('free', { ...draft('Khóa đã xong', 'free'), finalTestId: 'mot.kiem-tra' });
    const learner = await citizen();
    await call('POST', `/api/courses/${id}/enrolments`, learner, {});
    const attempt = await call('POST', `/api/courses/${id}/lessons/mot.kiem-tra/attempts`, learner, {});
    expect((await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, { answers: answersAllRight })).json().courseCompleted).toBe(true);
    await call('PUT', `/api/trainer/courses/${id}/draft`, trainer, { draft: draft('Khóa đã xong 2', 'free') });
    await call('POST', `/api/trainer/courses/${id}/publish`, trainer, {});
    expect((await call('POST', `/api/courses/${id}/enrolments/mine/version`, learner, {})).statusCode).toBe(409);
    expect((await call('POST', `/api/courses/${id}/enrolments/mine/version`, await citizen(), {})).statusCode).toBe(403);
  });
});

describe('recommendations', () => {
  it('suggests courses for the learner target group and for competences their completions lack, never one already started', async () => {
    const learner = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen({ targetGroupCode: 'cong-chuc' }) })).json()
      .accessToken as string;
    const forGroup = await publishedCourse('free', {
      ...draft('Khóa cho công chức', 'free'),
      targetGroups: ['cong-chuc'],
      competences: ['tt02:4.2'],
      finalTestId: 'mot.kiem-tra',
    });
    const before = (await call('GET', '/api/me/recommendations?limit=20', learner)).json().items as Array<{
      course: { id: string };
      forYourGroup: boolean;
      newCompetences: string[];
    }>;
    const mine = before.find((i) => i.course.id === forGroup.id);
    expect(mine).toMatchObject({ forYourGroup: true, newCompetences: ['tt02:4.2'] });
    // the group's course comes before courses that only teach something new
    expect(before.findIndex((i) => i.forYourGroup)).toBe(0);

    await call('POST', `/api/courses/${forGroup.id}/enrolments`, learner, {});
    const attempt = await call('POST', `/api/courses/${forGroup.id}/lessons/mot.kiem-tra/attempts`, learner, {});
    expect((await call('POST', `/api/attempts/${attempt.json().id}/submit`, learner, { answers: answersAllRight })).json().courseCompleted).toBe(true);

    const after = (await call('GET', '/api/me/recommendations?limit=20', learner)).json().items as Array<{
      course: { id: string };
      forYourGroup: boolean;
      newCompetences: string[];
    }>;
    expect(after.some((i) => i.course.id === forGroup.id)).toBe(false);
    // tt02:4.2 is held now: no suggestion lists it as new, and every suggestion has a reason
    for (const i of after) {
      expect(i.newCompetences).not.toContain('tt02:4.2');
      expect(i.forYourGroup || i.newCompetences.length > 0).toBe(true);
    }
  });
});
