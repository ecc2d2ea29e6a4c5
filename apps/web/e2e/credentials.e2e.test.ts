/**
 * A certificate as a learner and a stranger see it on a phone: the learner finds it on their profile with
 * its QR code and download links; a stranger opens the share link without an account and reads that it is
 * valid, pastes garbage and reads why it is not; after a revoke the same link says revoked, with the date.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApiClient } from '@hts/api-client';
import { defaultContentDir, loadContent } from '@hts/content';
import type { CourseDoc, CredentialSummary } from '@hts/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, freePort, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
const SLUG = 'phong-tranh-lua-dao-truc-tuyen';

beforeAll(async () => {
  const webPort = await freePort();
  // the links a certificate carries point at the web server the browser opens
  api = await startApi({ PUBLIC_URL: `http://127.0.0.1:${webPort}` });
  web = await startWeb(api.url, webPort);
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
});

function site(): string {
  if (!web) throw new Error('the web server did not start');
  return web.url;
}

async function completeCourse(token: string): Promise<void> {
  if (!api) throw new Error('the API did not start');
  const client = createApiClient({ baseUrl: api.url });
  const doc = (await loadContent(defaultContentDir)).courses.find((c) => c.slug === SLUG)?.doc as CourseDoc;
  const courseId = (await client.call('coursePage', { params: { slug: SLUG }, token })).course.id;
  await client.call('enrol', { params: { id: courseId }, body: {}, token });
  let n = 0;
  for (const lesson of doc.modules.flatMap((m) => m.lessons)) {
    if (!lesson.required) continue;
    if (lesson.kind === 'text') {
      await client.call('progress', { body: { events: [{ id: `e2e-cert-${Date.now()}-${++n}`, courseId, lessonId: lesson.id, kind: 'opened' }] }, token });
    } else if (lesson.kind === 'quiz' && lesson.quiz) {
      const attempt = await client.call('startAttempt', { params: { id: courseId, lessonId: lesson.id }, body: {}, token });
      const answers = attempt.questions.map(({ id }) => {
        const q = lesson.quiz?.questions.find((x) => x.id === id);
        if (q?.kind === 'true-false') return { questionId: id, value: q.answer ?? false };
        if (q?.kind === 'short') return { questionId: id, text: q.accept[0] ?? '' };
        return { questionId: id, choices: (q?.options ?? []).filter((o) => o.correct).map((o) => o.id) };
      });
      expect((await client.call('submitAttempt', { params: { id: attempt.id }, body: { answers }, token })).passed).toBe(true);
    } else throw new Error(`the e2e learner does not know how to take a ${lesson.kind} lesson`);
  }
}

async function newPage(): Promise<Page> {
  if (!browser) throw new Error('Chromium did not start');
  const page = await (await phoneContext(browser)).newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page ${page.url()} is ${width}px wide`).toBeLessThanOrEqual(390);
}

describe('certificates on a phone', () => {
  it('shows the learner their certificate, lets a stranger verify it, and says when it is revoked', async () => {
    if (!api) throw new Error('the API did not start');
    const client = createApiClient({ baseUrl: api.url });
    const email = `hoc.vien.${Date.now()}@example.vn`;
    const password = 'mat-khau-123';
    const { accessToken } = await client.call('register', {
      body: { email, fullName: 'Lê Thị Bưởi', birthYear: 1985, communeCode: '07627', targetGroupCode: 'nong-dan', password },
    });
    await completeCourse(accessToken);
    // the in-process worker issues it from the completion job
    let certificate: CredentialSummary | undefined;
    await expect
      .poll(
        async () => {
          certificate = (await client.call('myCredentials', { token: accessToken })).credentials[0];
          return certificate?.courseSlug;
        },
        { timeout: 30_000 },
      )
      .toBe(SLUG);
    const id = certificate?.id as string;

    const learner = await newPage();
    await learner.goto(`${site()}/login`);
    await learner.getByLabel('E-mail hoặc số điện thoại').fill(email);
    await learner.getByLabel('Mật khẩu', { exact: true }).fill(password);
    await learner.getByRole('button', { name: 'Đăng nhập' }).click();
    await learner.waitForURL(`${site()}/`);
    await learner.goto(`${site()}/profile#chung-chi`);
    const card = learner.locator(`[data-credential="${id}"]`);
    expect(await card.locator('[data-field="holder"]').textContent()).toBe('Lê Thị Bưởi');
    expect(await card.locator('svg').count()).toBe(1);
    expect(await card.getByRole('link', { name: 'Tải về tệp JWT (có chữ ký số)' }).getAttribute('href')).toBe(`/api/credentials/${id}/jwt`);
    await noSidewaysScroll(learner);
    await card.screenshot({ path: join(screenshotDir, 'certificate-profile.png') });

    // a stranger opens the share link: no account
    const stranger = await newPage();
    await stranger.goto(`${site()}/verify/${id}`);
    expect(await stranger.locator('[data-valid]').getAttribute('data-valid')).toBe('true');
    expect(await stranger.getByText('Chứng chỉ hợp lệ.').count()).toBe(1);
    expect(await stranger.locator('[data-check][data-ok="true"]').count()).toBe(5);
    expect(await stranger.content()).not.toContain(email);
    await noSidewaysScroll(stranger);
    await stranger.screenshot({ path: join(screenshotDir, 'certificate-verify.png'), fullPage: true });

    // pastes a forged one
    const jwt = await (await fetch(`${site()}/api/credentials/${id}/jwt`)).text();
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), name: 'Tiến sĩ' })).toString('base64url')}.${s}`;
    await stranger.goto(`${site()}/verify`);
    await stranger.getByLabel('Chứng chỉ', { exact: true }).fill(forged);
    await stranger.getByRole('button', { name: 'Kiểm tra' }).click();
    await expect.poll(() => stranger.locator('[data-check="signature"]').getAttribute('data-ok'), { timeout: 20_000 }).toBe('false');
    expect(await stranger.getByText('Chữ ký không khớp: nội dung đã bị sửa sau khi ký.').count()).toBe(1);
    await noSidewaysScroll(stranger);
    await stranger.screenshot({ path: join(screenshotDir, 'certificate-forged.png'), fullPage: true });

    // the admin revokes it: the same link now says so, with the date
    const admin = await client.call('login', { body: { login: 'admin@demo.local', password: DEMO_PASSWORD } });
    await client.call('revokeCredential', { params: { id }, body: { reason: 'Cấp nhầm người' }, token: admin.accessToken });
    await stranger.goto(`${site()}/verify/${id}`);
    expect(await stranger.locator('[data-valid]').getAttribute('data-valid')).toBe('false');
    expect(await stranger.locator('[data-check="status"]').getAttribute('data-ok')).toBe('false');
    expect(await stranger.getByRole('alert').first().textContent()).toContain('Đã bị thu hồi ngày');
    await stranger.screenshot({ path: join(screenshotDir, 'certificate-revoked.png'), fullPage: true });
  });
});
