/**
 * The "done when": a farmer who completed the digital-skills courses opens the self-assessment, finds the
 * digital criteria pre-filled with links, declares the rest, submits; the branch confirms; the commune officer
 * approves; the title appears on the farmer's profile with its entry in the evidence hash chain.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApiClient } from '@hts/api-client';
import { defaultContentDir, loadContent } from '@hts/content';
import type { CourseDoc } from '@hts/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  api = await startApi();
  web = await startWeb(api.url);
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
});

const YEAR = new Date().getUTCFullYear();
const DIGITAL_COURSES = ['dien-thoai-thong-minh-an-toan', 'phong-tranh-lua-dao-truc-tuyen', 'dich-vu-cong-truc-tuyen-vneid'];
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(256, 7)]);

function site(): string {
  if (!web) throw new Error('the web server did not start');
  return web.url;
}

/**
 * The farmer learns the way the web app's lesson pages do, through the API: opens every text lesson and passes
 * every quiz (the right answers come from the course files in content/).
 */
async function completeCourses(token: string): Promise<void> {
  if (!api) throw new Error('the API did not start');
  const client = createApiClient({ baseUrl: api.url });
  const content = await loadContent(defaultContentDir);
  let n = 0;
  for (const slug of DIGITAL_COURSES) {
    const doc = content.courses.find((c) => c.slug === slug)?.doc as CourseDoc;
    const page = await client.call('coursePage', { params: { slug }, token });
    const courseId = page.course.id;
    await client.call('enrol', { params: { id: courseId }, body: {}, token });
    for (const lesson of doc.modules.flatMap((m) => m.lessons)) {
      // an optional lesson does not count toward completion (the demo video's is seeded only with the demo clip)
      if (!lesson.required) continue;
      if (lesson.kind === 'text') {
        await client.call('progress', { body: { events: [{ id: `e2e-sa-${Date.now()}-${++n}`, courseId, lessonId: lesson.id, kind: 'opened' }] }, token });
      } else if (lesson.kind === 'quiz' && lesson.quiz) {
        const attempt = await client.call('startAttempt', { params: { id: courseId, lessonId: lesson.id }, body: {}, token });
        const answers = attempt.questions.map(({ id }) => {
          const q = lesson.quiz?.questions.find((x) => x.id === id);
          if (q?.kind === 'true-false') return { questionId: id, value: q.answer ?? false };
          if (q?.kind === 'short') return { questionId: id, text: q.accept[0] ?? '' };
          return { questionId: id, choices: (q?.options ?? []).filter((o) => o.correct).map((o) => o.id) };
        });
        const result = await client.call('submitAttempt', { params: { id: attempt.id }, body: { answers }, token });
        expect(result.passed, `${slug} ${lesson.id}`).toBe(true);
      } else {
        throw new Error(`the e2e farmer does not know how to take a ${lesson.kind} lesson (${slug})`);
      }
    }
  }
}

async function newPage(): Promise<Page> {
  if (!browser) throw new Error('Chromium did not start');
  const page = await (await phoneContext(browser)).newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(`${site()}/login`);
  await page.getByLabel('E-mail hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${site()}/`);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page ${page.url()} is ${width}px wide`).toBeLessThanOrEqual(390);
}

describe('the Công dân học tập title, from completed courses to the decision', () => {
  it('pre-fills the digital criteria, takes the rest, and carries the form through branch and commune to the profile', async () => {
    if (!api) throw new Error('the API did not start');
    const client = createApiClient({ baseUrl: api.url });
    const email = `nong.dan.${Date.now()}@example.vn`;
    const password = 'mat-khau-123';
    const { accessToken } = await client.call('register', {
      body: { email, fullName: 'Nguyễn Văn Thóc', birthYear: 1972, communeCode: '07627', targetGroupCode: 'nong-dan', password },
    });
    await completeCourses(accessToken);

    // the farmer opens the form: the digital criteria are filled in, with links to the evidence
    const farmer = await newPage();
    await signIn(farmer, email, password);
    await farmer.getByRole('link', { name: 'Tự đánh giá', exact: true }).click();
    await expect.poll(() => farmer.locator('main h1').textContent(), { timeout: 20_000 }).toBe(`Tự đánh giá “Công dân học tập” năm ${YEAR}`);
    const digital = farmer.locator('[data-criterion="5"]');
    expect(await digital.getAttribute('data-prefilled')).toBe('true');
    expect(await digital.getByRole('link', { name: 'Đã được xác nhận “có kỹ năng số”' }).count()).toBe(1);
    const reading = farmer.locator('[data-criterion="1"]');
    expect(await reading.getAttribute('data-prefilled')).toBe('true');
    expect(await reading.getByRole('link', { name: 'Hoàn thành khóa “Nhận biết và phòng tránh lừa đảo trực tuyến”' }).getAttribute('href')).toBe(
      '/courses/phong-tranh-lua-dao-truc-tuyen',
    );
    await expect.poll(() => farmer.getByTestId('score').locator('.score').textContent(), { timeout: 20_000 }).toBe('40/100 điểm');

    // declares the rest: the score follows as they type; one declaration carries a photo
    for (const id of ['3', '4', '6', '7', '9', '10']) await farmer.locator(`#points-${id}`).fill(id === '7' ? '8' : '10');
    await expect.poll(() => farmer.getByTestId('score').locator('.score').textContent(), { timeout: 20_000 }).toBe('98/100 điểm');
    expect(await farmer.getByTestId('score').textContent()).toContain('Dự kiến: Đạt');
    await farmer.locator('#comment-3').fill('Sinh hoạt câu lạc bộ khuyến nông thôn Đông hằng tháng');
    await farmer.locator('#file-3').setInputFiles({ name: 'cau-lac-bo.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => farmer.locator('[data-criterion="3"]').getByRole('link', { name: 'cau-lac-bo.png' }).count(), { timeout: 20_000 }).toBe(1);
    await noSidewaysScroll(farmer);
    await farmer.screenshot({ path: join(screenshotDir, 'self-assessment.png'), fullPage: true });
    await farmer.getByRole('button', { name: 'Gửi chi hội' }).click();
    await farmer.waitForURL(/\/self-assessment\?year=[0-9]+&sent=1$/);
    await expect.poll(() => farmer.getByText('Đã gửi phiếu. Chi hội sẽ xem và báo cho bạn.').count(), { timeout: 20_000 }).toBe(1);
    expect(await farmer.getByText('Trạng thái: Đã gửi, chờ chi hội xem').count()).toBe(1);

    // the branch of Đại Sơn confirms it
    const branch = await newPage();
    await signIn(branch, 'branch@demo.local', DEMO_PASSWORD);
    await branch.goto(`${site()}/reviews`);
    const row = branch.locator('.review-row', { hasText: 'Nguyễn Văn Thóc' });
    await row.getByRole('link', { name: 'Xem phiếu' }).click();
    await expect.poll(() => branch.locator('main h1').textContent(), { timeout: 20_000 }).toBe('Nguyễn Văn Thóc');
    expect(await branch.locator('[data-criterion="3"]').getByRole('link', { name: 'Tệp đính kèm: cau-lac-bo.png' }).count()).toBe(1);
    await branch.screenshot({ path: join(screenshotDir, 'review.png'), fullPage: true });
    await branch.getByLabel('Nhận xét').fill('Đúng như kê khai');
    await branch.getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => branch.getByText('Đã xác nhận phiếu.').count(), { timeout: 20_000 }).toBe(1);

    // the commune officer approves it under a decision
    const officer = await newPage();
    await signIn(officer, 'officer@demo.local', DEMO_PASSWORD);
    await officer.getByRole('link', { name: 'Duyệt phiếu' }).click();
    await expect.poll(() => officer.locator('.review-row', { hasText: 'Nguyễn Văn Thóc' }).count(), { timeout: 20_000 }).toBe(1);
    await officer.getByLabel('Chọn Nguyễn Văn Thóc').check();
    await officer.getByLabel('Số quyết định').fill('45/QĐ-UBND');
    await officer.getByLabel('Ngày quyết định').fill(`${YEAR}-01-05`);
    await officer.screenshot({ path: join(screenshotDir, 'approve.png'), fullPage: true });
    await officer.getByRole('button', { name: 'Công nhận các phiếu đã chọn' }).click();
    await expect.poll(() => officer.getByText('Đã công nhận 1 người.').count(), { timeout: 20_000 }).toBe(1);

    // the title is on the farmer's profile, with its entry in the evidence chain; the farmer was told at each step
    await farmer.goto(`${site()}/profile`);
    expect(await farmer.getByTestId('unread').textContent()).toMatch(/^Thông báo \([0-9]+\)$/);
    const title = farmer.locator('[data-award]');
    expect(await title.textContent()).toContain(`“Công dân học tập” năm ${YEAR}`);
    expect(await title.textContent()).toContain('Quyết định số 45/QĐ-UBND');
    const seq = Number(await title.locator('[data-chain-seq]').getAttribute('data-chain-seq'));
    expect(seq).toBeGreaterThan(0);
    expect(await farmer.locator('[data-digital-skill]').textContent()).toContain('tự động từ các khóa đã học');
    expect(await farmer.locator('[data-kind="title.awarded"]').textContent()).toContain('Chúc mừng!');
    expect(await farmer.locator('[data-kind="assessment.confirmed"]').count()).toBe(1);
    await noSidewaysScroll(farmer);
    await farmer.screenshot({ path: join(screenshotDir, 'profile-title.png'), fullPage: true });
    // the published anchor of today covers the award's entry
    const anchors = await client.call('evidenceAnchors', {});
    expect(Math.max(...anchors.anchors.map((a) => a.lastSeq))).toBeGreaterThanOrEqual(seq);
  });
});
