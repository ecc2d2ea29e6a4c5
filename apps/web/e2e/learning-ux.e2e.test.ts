import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
const learner = { email: `hoc.vien.${Date.now()}@example.vn`, password: 'mat-khau-123' };

beforeAll(async () => {
  api = await startApi();
  web = await startWeb(api.url);
  browser = await launchBrowser();
  const res = await fetch(`${api.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...learner, fullName: 'Đỗ Thị Hạnh', birthYear: 1979, communeCode: '07627', targetGroupCode: 'nong-dan' }),
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
});

async function signIn(login: string, password: string): Promise<Page> {
  if (!browser || !web) throw new Error('the servers did not start');
  const page = await (await phoneContext(browser)).newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${web.url}/login`);
  await page.getByLabel('E-mail hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('bulk enrolment by an officer', () => {
  it('previews a pasted list, then enrols after confirming, and reports who was not found', async () => {
    const page = await signIn('officer@demo.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Sổ theo dõi' }).click();
    await page.getByRole('link', { name: 'Ghi danh khóa học cho người dân' }).click();
    await page.waitForURL((url) => url.pathname === '/officer/enrolments');
    await page.getByLabel('Khóa học').selectOption({ label: 'Nhận biết và phòng tránh lừa đảo trực tuyến' });
    await page.getByLabel('Số điện thoại hoặc e-mail, mỗi dòng một người').fill(`${learner.email}\nkhong.co.ai@example.vn\nabc`);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('Sẽ ghi danh 1 người. 0 người đã ghi danh từ trước.').waitFor();
    await page.getByText('Không tìm thấy tài khoản: khong.co.ai@example.vn').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'bulk-enrol-preview.png'), fullPage: true });
    await page.getByRole('button', { name: 'Xác nhận ghi danh 1 người' }).click();
    await page.getByText('Đã ghi danh 1 người. 0 người đã ghi danh từ trước.').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'bulk-enrol-done.png'), fullPage: true });

    // by commune: the officer's own commune is offered, and the preview counts the learner as enrolled already
    await page.getByLabel('Xã, phường và nhóm đối tượng').check();
    const communes = await page.getByLabel('Xã, phường', { exact: true }).locator('option:not([disabled])').allTextContents();
    expect(communes.length).toBeGreaterThan(0);
    expect(communes.length).toBeLessThan(99);
    await page.getByLabel('Xã, phường', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Nhóm đối tượng', { exact: true }).selectOption('nong-dan');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText(/Sẽ ghi danh \d+ người\. [1-9]\d* người đã ghi danh từ trước\./).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'bulk-enrol-commune.png'), fullPage: true });
    await page.context().close();
  });
});

describe('bulk enrolment by the course trainer', () => {
  it('shows the same form on the course page: a preview counts who is enrolled already', async () => {
    const apiCall = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${api?.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res.json();
    };
    const signInApi = async (login: string) => (await apiCall('POST', '/api/auth/login', undefined, { login, password: DEMO_PASSWORD })).accessToken as string;
    // content courses have no owner: the admin hands the scam course to the demo trainer
    const [admin, trainer] = [await signInApi('admin@demo.local'), await signInApi('trainer@demo.local')];
    const trainerId = (await apiCall('GET', '/api/me', trainer)).id;
    const courseId = (await apiCall('GET', '/api/courses/phong-tranh-lua-dao-truc-tuyen')).course.id;
    await apiCall('PUT', `/api/admin/courses/${courseId}/owner`, admin, { ownerId: trainerId });

    const page = await signIn('trainer@demo.local', DEMO_PASSWORD);
    await page.goto(`${web?.url}/trainer/courses/${courseId}`);
    await page.getByLabel('Số điện thoại hoặc e-mail, mỗi dòng một người').fill(learner.email);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('Sẽ ghi danh 0 người. 1 người đã ghi danh từ trước.').waitFor();
    await page.getByText('Không có ai mới để ghi danh.').waitFor();
    expect(await page.getByRole('button', { name: /Xác nhận ghi danh/ }).count()).toBe(0);
    // a list with someone new: the confirm step is offered on the course page too
    const other = { email: `hoc.vien.moi.${Date.now()}@example.vn`, password: 'mat-khau-123' };
    await apiCall('POST', '/api/auth/register', undefined, {
      ...other,
      fullName: 'Ngô Văn Bình',
      birthYear: 1990,
      communeCode: '07615',
      targetGroupCode: 'cong-nhan',
    });
    await page.getByLabel('Số điện thoại hoặc e-mail, mỗi dòng một người').fill(`${learner.email}\n${other.email}`);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByRole('button', { name: 'Xác nhận ghi danh 1 người' }).click();
    await page.getByText('Đã ghi danh 1 người. 1 người đã ghi danh từ trước.').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByRole('heading', { name: 'Ghi danh nhiều học viên' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'bulk-enrol-trainer.png') });
    await page.context().close();
  });
});

describe('an external activity in the lesson player', () => {
  it('opens the activity in a frame; its "completed" statement makes the player show the lesson done', async () => {
    const page = await signIn(learner.email, learner.password);
    await page.goto(`${web?.url}/courses/phong-tranh-lua-dao-truc-tuyen/lessons/nhan-biet.thuc-hanh-nhan-biet`);
    const frameElement = page.locator('iframe[title="Thực hành: Tin nhắn nào là lừa đảo?"]');
    expect(await frameElement.getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    const frame = page.frameLocator('iframe[title="Thực hành: Tin nhắn nào là lừa đảo?"]');
    await frame.getByText('Chọn “Lừa đảo” hoặc “An toàn” cho từng tin nhắn.').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Bạn đã học xong bài này.' }).count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, 'external-activity-open.png'), fullPage: true });
    for (const [q, answer] of [
      ['q1', 'lua-dao'],
      ['q2', 'an-toan'],
      ['q3', 'lua-dao'],
    ])
      await frame.locator(`input[name="${q}"][value="${answer}"]`).check();
    await frame.getByRole('button', { name: 'Nộp bài' }).click();
    await frame.getByText('Chính xác! Bạn đã hoàn thành bài thực hành.').waitFor();
    await page.getByRole('status').filter({ hasText: 'Bạn đã học xong bài này.' }).waitFor({ timeout: 15_000 });
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'external-activity-done.png'), fullPage: true });

    // the course outline agrees: the lesson is completed on the server
    await page.goto(`${web?.url}/courses/phong-tranh-lua-dao-truc-tuyen`);
    const row = page.locator('li').filter({ hasText: 'Thực hành: Tin nhắn nào là lừa đảo?' });
    await row.getByText('Đã xong').waitFor();

    // full screen: a fresh launch opens the activity as the whole page
    await page.goto(`${web?.url}/courses/phong-tranh-lua-dao-truc-tuyen/lessons/nhan-biet.thuc-hanh-nhan-biet`);
    await page.getByRole('link', { name: 'Mở toàn màn hình' }).click();
    await page.waitForURL((url) => url.pathname === '/activities/nhan-biet-tin-nhan-lua-dao/index.html' && url.searchParams.has('fetch'));
    await page.getByText('Chọn “Lừa đảo” hoặc “An toàn” cho từng tin nhắn.').waitFor();
    await page.context().close();
  });

  it('reopens a completed activity for review: the learner may do it again and the record stays as it was', async () => {
    const page = await signIn(learner.email, learner.password);
    await page.goto(`${web?.url}/courses/phong-tranh-lua-dao-truc-tuyen/lessons/nhan-biet.thuc-hanh-nhan-biet`);
    await page.getByText('Bạn đã hoàn thành bài này. Bạn có thể xem lại, kết quả cũ vẫn giữ nguyên.').waitFor();
    const frame = page.frameLocator('iframe[title="Thực hành: Tin nhắn nào là lừa đảo?"]');
    for (const [q, answer] of [
      ['q1', 'lua-dao'],
      ['q2', 'an-toan'],
      ['q3', 'lua-dao'],
    ])
      await frame.locator(`input[name="${q}"][value="${answer}"]`).check();
    await frame.getByRole('button', { name: 'Nộp bài' }).click();
    await frame.getByText('Chính xác! Đây là lần xem lại: kết quả cũ của bạn vẫn giữ nguyên.').waitFor();
    await page.context().close();
  });

  it('fills the course progress bar with required lessons only: the optional activity done leaves it empty', async () => {
    const page = await signIn(learner.email, learner.password);
    await page.goto(`${web?.url}/courses/phong-tranh-lua-dao-truc-tuyen`);
    const bar = page.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    await page
      .getByText(/^0% · Đã xong 0\/\d+ bài bắt buộc$/)
      .first()
      .waitFor();
    await page.getByText('Bài tự chọn không tính vào tiến độ.').waitFor();
    const row = page.locator('li').filter({ hasText: 'Thực hành: Tin nhắn nào là lừa đảo?' });
    await row.getByText('Tự chọn').waitFor();
    await row.getByText('Đã xong').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'course-progress-required-only.png'), fullPage: true });
    // the home page's "continue" card says the same
    await page.goto(`${web?.url}/`);
    await page
      .getByText(/^0% · Đã xong 0\/\d+ bài bắt buộc$/)
      .first()
      .waitFor();
    await page.screenshot({ path: join(screenshotDir, 'home-progress-required-only.png'), fullPage: true });
    await page.context().close();
  });
});

describe("a trainer's preview of an external activity", () => {
  it('plays the activity in the learner frame, in a preview session that records no learning for the trainer', async () => {
    if (!api || !web) throw new Error('the servers did not start');
    const call = async (method: string, path: string, token: string | null, body?: unknown) => {
      const res = await fetch(`${api?.url}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
      return res.json();
    };
    // the demo trainer is made the owner of the seeded course, so its preview is theirs to open
    const adminToken = (await call('POST', '/api/auth/login', null, { login: 'admin@demo.local', password: DEMO_PASSWORD })).accessToken;
    const trainerToken = (await call('POST', '/api/auth/login', null, { login: 'trainer@demo.local', password: DEMO_PASSWORD })).accessToken;
    const trainerId = (await call('GET', '/api/me', trainerToken)).id;
    const courseId = (await call('GET', '/api/courses/phong-tranh-lua-dao-truc-tuyen', null)).course.id;
    await call('PUT', `/api/admin/courses/${courseId}/owner`, adminToken, { ownerId: trainerId });

    const page = await signIn('trainer@demo.local', DEMO_PASSWORD);
    await page.goto(`${web.url}/trainer/courses/${courseId}/preview/nhan-biet.thuc-hanh-nhan-biet`);
    await page.getByText('Hoạt động chạy giống như học viên thấy. Những gì bạn làm ở đây chỉ là thử, không tính vào tiến độ học của ai.').waitFor();
    const frameElement = page.locator('iframe[title="Thực hành: Tin nhắn nào là lừa đảo?"]');
    expect(await frameElement.getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    const frame = page.frameLocator('iframe[title="Thực hành: Tin nhắn nào là lừa đảo?"]');
    await frame.getByText('Chọn “Lừa đảo” hoặc “An toàn” cho từng tin nhắn.').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'trainer-preview-external.png'), fullPage: true });
    for (const [q, answer] of [
      ['q1', 'lua-dao'],
      ['q2', 'an-toan'],
      ['q3', 'lua-dao'],
    ])
      await frame.locator(`input[name="${q}"][value="${answer}"]`).check();
    await frame.getByRole('button', { name: 'Nộp bài' }).click();
    await frame.getByText('Chính xác! Bạn đã hoàn thành bài thực hành.').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'trainer-preview-external-done.png'), fullPage: true });
    // nothing counted: the trainer is enrolled in nothing
    expect((await call('GET', '/api/me/learning', trainerToken)).items).toEqual([]);
    // full screen opens another preview launch as the whole page
    await page.getByRole('link', { name: 'Mở toàn màn hình' }).click();
    await page.waitForURL((url) => url.pathname === '/activities/nhan-biet-tin-nhan-lua-dao/index.html' && url.searchParams.has('fetch'));
    await page.getByText('Chọn “Lừa đảo” hoặc “An toàn” cho từng tin nhắn.').waitFor();
    await page.context().close();
  });
});
