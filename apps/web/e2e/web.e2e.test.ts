import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
let clipDir = '';
let clip = '';

beforeAll(async () => {
  api = await startApi();
  web = await startWeb(api.url);
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
  clipDir = mkdtempSync(join(tmpdir(), 'hts-e2e-lesson-clip-'));
  clip = join(clipDir, 'bai-giang.mp4');
  // 8 s of 360p test pattern and a tone: two video rungs and an audio-only rendition.
  await promisify(execFile)('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', clip],
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
  if (clipDir) rmSync(clipDir, { recursive: true, force: true });
});

/** The servers started in beforeAll; a test that runs without them has nothing to test. */
function site(): string {
  if (!web) throw new Error('the web server did not start');
  return web.url;
}

async function newPage(): Promise<Page> {
  if (!browser) throw new Error('Chromium did not start');
  const context = await phoneContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

const heading = (page: Page) => page.locator('main h1');

/** Nothing may stick out sideways on a 390 px phone. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page ${page.url()} is ${width}px wide`).toBeLessThanOrEqual(390);
}

/** Wait until the page shows `path`; on timeout, say what the page shows instead. */
async function waitForPath(page: Page, path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (new URL(page.url()).pathname === path && (await page.evaluate(() => document.readyState)) === 'complete') return;
    await page.waitForTimeout(200);
  }
  const h1 = await page
    .locator('main h1')
    .textContent()
    .catch(() => null);
  const alerts = await page
    .locator('[role=alert], .field-error')
    .allTextContents()
    .catch(() => []);
  throw new Error(`expected ${path}, still at ${page.url()} (heading: ${h1}; messages: ${JSON.stringify(alerts)})`);
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(`${site()}/login`);
  await page.getByLabel('E-mail hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

describe('the web app in a phone browser', () => {
  it('registers a citizen in Vietnamese, signs out and in again, and shows the profile', async () => {
    const page = await newPage();
    await page.goto(`${site()}/register`);
    await expect.poll(() => heading(page).textContent()).toBe('Đăng ký');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await page.title()).toContain('Đăng ký');

    const fullName = 'Nguyễn Thị Hòa';
    const email = `hoa.${Date.now()}@example.vn`;
    await page.getByLabel('Họ và tên').fill(fullName);
    await page.getByLabel('E-mail hoặc số điện thoại').fill(email);
    await page.getByLabel('Năm sinh').fill('1978');
    const commune = page.getByLabel('Xã, phường nơi bạn sống');
    expect(await commune.locator('option').count()).toBe(100); // 99 communes and "choose"
    await commune.selectOption({ index: 5 });
    const communeLabel = ((await commune.locator('option:checked').textContent()) ?? '').trim();
    const [, communeName, communeType] = /^(.*) \((xã|phường)\)$/.exec(communeLabel) ?? [];
    expect(communeName, communeLabel).toBeTruthy();
    const group = page.getByLabel('Bạn thuộc nhóm nào?');
    await group.selectOption({ index: 1 });
    const groupName = ((await group.locator('option:checked').textContent()) ?? '').trim();
    await page.getByLabel('Mật khẩu', { exact: true }).fill('mat-khau-123');
    await page.getByLabel('Nhập lại mật khẩu').fill('mat-khau-123');
    await page.screenshot({ path: join(screenshotDir, 'register.png'), fullPage: true });
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();

    await waitForPath(page, '/');
    await expect.poll(() => heading(page).textContent()).toBe(`Xin chào, ${fullName}!`);
    await expect.poll(() => page.getByRole('heading', { name: 'Học tiếp' }).count()).toBe(1);
    expect(await page.getByText('Bạn chưa bắt đầu khóa học nào.').count()).toBe(1);
    // the session cookie is sealed and out of reach of scripts
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'hts_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(session?.value.startsWith('v1.')).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain('hts_session');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Chào mừng bạn đến với Học tập số');

    await signIn(page, email, 'mat-khau-123');
    await waitForPath(page, '/');
    await expect.poll(() => heading(page).textContent()).toBe(`Xin chào, ${fullName}!`);

    await page.getByRole('link', { name: 'Hồ sơ' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Hồ sơ');
    expect(await page.locator('[data-field="fullName"]').textContent()).toBe(fullName);
    expect(await page.locator('[data-field="email"]').textContent()).toBe(email);
    expect(await page.locator('[data-field="birthYear"]').textContent()).toBe('1978');
    expect(await page.locator('[data-field="commune"]').textContent()).toBe(`${communeType === 'xã' ? 'Xã' : 'Phường'} ${communeName}`);
    expect(await page.locator('[data-field="targetGroup"]').textContent()).toBe(groupName);
    expect(await page.getByText('Người học').count()).toBeGreaterThan(0);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(screenshotDir, 'profile.png'), fullPage: true });
    await page.context().close();
  });

  it('shows each demo account the home page of its role', async () => {
    const homes = [
      { role: 'admin', heading: 'Quản trị', text: 'Quản lý người dùng' },
      { role: 'trainer', heading: 'Khóa học của tôi', text: 'Mở khóa học của tôi' },
      { role: 'branch', heading: 'Phiếu tự đánh giá cần xem', text: 'Mở danh sách phiếu' },
      { role: 'officer', heading: 'Chỉ số của xã', text: 'Phạm vi:' },
      { role: 'citizen', heading: 'Học tiếp', text: 'Xem các khóa học' },
    ];
    {
      const page = await newPage();
      await page.goto(`${site()}/login`);
      await expect.poll(() => heading(page).textContent()).toBe('Đăng nhập');
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: join(screenshotDir, 'login.png'), fullPage: true });
      await page.context().close();
    }
    for (const home of homes) {
      const page = await newPage();
      await signIn(page, `${home.role}@demo.local`, DEMO_PASSWORD);
      await waitForPath(page, '/');
      await expect.poll(() => page.getByRole('heading', { name: home.heading, exact: true }).count(), { message: home.role }).toBe(1);
      expect(await page.getByText(home.text).count(), home.role).toBeGreaterThan(0);
      const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
      expect(await nav.getByRole('link', { name: 'Quản trị' }).count(), home.role).toBe(home.role === 'admin' ? 1 : 0);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: join(screenshotDir, `home-${home.role}.png`), fullPage: true });

      if (home.role === 'admin') {
        await page.getByRole('link', { name: 'Quản lý người dùng' }).click();
        await expect.poll(() => heading(page).textContent()).toBe('Quản lý người dùng');
        for (const role of ['trainer', 'branch', 'officer', 'citizen']) {
          expect(await page.getByText(`${role}@demo.local`).count(), role).toBeGreaterThan(0);
        }
        await expectNoSidewaysScroll(page);
        await page.screenshot({ path: join(screenshotDir, 'admin-users.png'), fullPage: true });
      }
      if (home.role === 'citizen') {
        await page.goto(`${site()}/admin/users`);
        await expect.poll(() => page.getByText('Bạn không có quyền xem trang này.').count()).toBe(1);
      }
      await page.context().close();
    }
  });

  it('says a wrong password in Vietnamese, and switches to English', async () => {
    const page = await newPage();
    await signIn(page, 'citizen@demo.local', 'not-the-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Sai e-mail, số điện thoại hoặc mật khẩu. Vui lòng thử lại.');
    expect(await page.getByLabel('E-mail hoặc số điện thoại').inputValue()).toBe('citizen@demo.local');
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(screenshotDir, 'login-wrong-password.png'), fullPage: true });

    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Sign in');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(page.url()).toBe(`${site()}/login`);
    await page.getByLabel('E-mail or phone number').fill('citizen@demo.local');
    await page.getByLabel('Password', { exact: true }).fill('still-not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong e-mail, phone number or password. Please try again.');
    await page.screenshot({ path: join(screenshotDir, 'login-english.png'), fullPage: true });

    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Đăng nhập');
    await page.context().close();
  });
});

describe('courses in a phone browser', () => {
  it('a trainer publishes a course with a text lesson, an uploaded video and a quiz; a citizen finds it without diacritics, resumes the video where they left it, passes and sees it completed', async () => {
    const title = `Kỹ năng số cho nhà nông Quế Võ ${Date.now() % 100_000}`;
    const trainer = await newPage();
    await signIn(trainer, 'trainer@demo.local', DEMO_PASSWORD);
    await waitForPath(trainer, '/');
    // the video first: it transcodes while the course is written
    const videoTitle = `Bán nông sản qua điện thoại ${Date.now() % 100_000}`;
    await trainer.goto(`${site()}/trainer/media`);
    await trainer.getByLabel('Tên video').fill(videoTitle);
    await trainer.getByLabel('Tệp video hoặc âm thanh').setInputFiles(clip);
    await trainer.getByRole('button', { name: 'Tải lên' }).click();
    const asset = trainer.locator('.media-list li', { hasText: videoTitle });
    await expect.poll(() => asset.getAttribute('data-status'), { timeout: 120_000, interval: 1000 }).toBe('ready');
    await trainer.goto(`${site()}/trainer/courses`);
    await trainer.getByLabel('Tên khóa học').fill(title);
    await trainer.getByLabel('Đường dẫn (chữ thường không dấu, nối bằng dấu -)').fill(`ky-nang-so-nha-nong-${Date.now()}`);
    await trainer.getByRole('button', { name: 'Tạo khóa học mới' }).click();
    await expect.poll(() => heading(trainer).textContent()).toBe(title);

    await trainer.getByLabel('Giới thiệu ngắn').fill('Dùng điện thoại an toàn khi bán nông sản trên mạng.');
    await trainer.getByLabel('Mã năng lực (cách nhau bởi dấu phẩy, ví dụ tt02:4.2)').fill('tt02:4.2, kns:0.1');
    await trainer.getByLabel('Nông dân, lao động nông thôn').check();
    await trainer.getByLabel('Học lần lượt từng bài').check();
    await trainer.getByRole('button', { name: 'Lưu' }).click();
    await trainer.getByText('Đã lưu bản nháp.').waitFor();
    await trainer.getByLabel('Tên chương').fill('Phần một');
    await trainer.getByRole('button', { name: 'Thêm chương' }).click();
    await trainer.getByText('Đã lưu bản nháp.').waitFor();

    await trainer.locator('summary', { hasText: 'Thêm bài đọc' }).click();
    const textForm = trainer.locator('form', { has: trainer.locator('input[name=kind][value=text]') });
    await textForm.getByLabel('Tên bài').fill('Bài đọc đầu tiên');
    await textForm.getByLabel('Nội dung (Markdown)').fill('# Xin chào\n\nKhông bao giờ đưa **mã OTP** cho ai.\n\n<img src=x onerror=alert(1)>');
    await textForm.getByRole('button', { name: 'Thêm bài đọc' }).click();
    await trainer.getByText('Đã lưu bản nháp.').waitFor();
    await trainer.locator('summary', { hasText: 'Thêm bài video' }).click();
    const videoForm = trainer.locator('form', { has: trainer.locator('input[name=kind][value=video]') });
    await videoForm.getByLabel('Tên bài').fill('Xem video bán hàng');
    await videoForm.getByLabel('Video bài giảng (đã xử lý xong)').selectOption({ label: `${videoTitle} (8 s)` });
    await expectNoSidewaysScroll(trainer);
    await videoForm.screenshot({ path: join(screenshotDir, 'trainer-video-lesson-390.png') });
    await videoForm.getByRole('button', { name: 'Thêm bài video' }).click();
    await trainer.getByText('Đã lưu bản nháp.').waitFor();
    await trainer.locator('summary', { hasText: 'Thêm bài kiểm tra' }).click();
    const quizForm = trainer.locator('form', { has: trainer.locator('input[name=kind][value=quiz]') });
    await quizForm.getByLabel('Tên bài').fill('Bài kiểm tra');
    await quizForm.getByRole('button', { name: 'Thêm bài kiểm tra' }).click();
    await trainer.getByText('Đã lưu bản nháp.').waitFor();
    await trainer.getByLabel('Câu hỏi', { exact: true }).fill('Có nên đưa mã OTP cho người gọi điện tự xưng ngân hàng?');
    await trainer.getByLabel(/^Đáp án, mỗi dòng/).fill('Có\n* Không');
    await trainer.getByLabel('Lời nhắn khi đúng').fill('Đúng, không ai được hỏi mã OTP.');
    await trainer.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await trainer.getByText('1 câu hỏi').waitFor();
    await trainer.getByRole('button', { name: 'Xuất bản' }).click();
    await trainer.getByRole('status').filter({ hasText: 'Đã xuất bản bản 1.' }).waitFor();
    await expectNoSidewaysScroll(trainer);
    await trainer.screenshot({ path: join(screenshotDir, 'trainer-course-published.png'), fullPage: true });

    const learner = await newPage();
    await signIn(learner, 'citizen@demo.local', DEMO_PASSWORD);
    await waitForPath(learner, '/');
    await learner.goto(`${site()}/courses`);
    await learner.getByLabel('Tìm khóa học').fill('ky nang so nha nong que vo');
    await learner.getByRole('button', { name: 'Tìm', exact: true }).click();
    await learner.getByRole('link', { name: title }).click();
    await expect.poll(() => heading(learner).textContent()).toBe(title);
    await learner.getByRole('button', { name: 'Bắt đầu học' }).click();
    await expect.poll(() => heading(learner).textContent()).toBe('Bài đọc đầu tiên');
    const body = learner.locator('article.lesson-body');
    expect(await body.locator('h2').textContent()).toBe('Xin chào');
    expect(await body.innerHTML()).not.toMatch(/onerror/);
    await learner.getByText('Bạn đã học xong bài này.').waitFor();
    await expectNoSidewaysScroll(learner);
    await learner.screenshot({ path: join(screenshotDir, 'lesson-text-390.png'), fullPage: true });

    await learner.getByRole('link', { name: 'Bài tiếp theo' }).click();
    await expect.poll(() => heading(learner).textContent()).toBe('Xem video bán hàng');
    const lessonUrl = learner.url();
    const player = learner.locator('figure.player');
    // the pipeline's signed HLS, through hls.js, with more than one rendition
    await expect.poll(async () => Number(await player.getAttribute('data-levels')), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await player.getAttribute('data-engine')).toBe('hls.js');
    const videoTime = () => learner.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime);
    await learner.evaluate(async () => {
      const video = document.querySelector('video') as HTMLVideoElement;
      video.muted = true;
      await video.play();
    });
    await expect.poll(videoTime, { timeout: 30_000 }).toBeGreaterThan(3);
    await learner.screenshot({ path: join(screenshotDir, 'lesson-video-390.png'), fullPage: true });
    // leave mid-video: the player's last report carries the position it stopped at
    const leaving = learner.waitForRequest((r) => r.url().endsWith('/api/progress') && r.method() === 'POST' && (r.postData() ?? '').includes('"video"'));
    await learner.getByRole('link', { name: 'Về trang khóa học' }).first().click();
    const report = JSON.parse((await leaving).postData() ?? '{}') as { events: Array<{ video: { position: number; intervals: number[][] } }> };
    const left = report.events[0]?.video.position ?? 0;
    expect(left).toBeGreaterThan(3);
    expect(left).toBeLessThan(8);
    await (await leaving).response();
    await expect.poll(() => heading(learner).textContent()).toBe(title);

    await learner.goto(lessonUrl);
    await expect.poll(videoTime, { timeout: 30_000 }).toBeGreaterThan(1);
    expect(Math.abs((await videoTime()) - left), `resumed at ${await videoTime()}, left at ${left}`).toBeLessThanOrEqual(1);
    expect(await learner.getByText('Bạn đã học xong bài này.').count()).toBe(0);
    await learner.evaluate(async () => {
      const video = document.querySelector('video') as HTMLVideoElement;
      video.muted = true;
      await video.play();
    });
    // watching the rest (90% of the real length counts) completes the lesson
    await learner.getByText('Bạn đã học xong bài này.').waitFor({ timeout: 30_000 });
    await expectNoSidewaysScroll(learner);

    await learner.getByRole('link', { name: 'Bài tiếp theo' }).click();
    await expect.poll(() => heading(learner).textContent()).toBe('Bài kiểm tra');
    await learner.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
    await learner.getByLabel('Không').check();
    await learner.getByRole('button', { name: 'Nộp bài' }).click();
    await learner.getByText('Chúc mừng, bạn đã đạt!').waitFor();
    await learner.getByText('Bạn đã hoàn thành cả khóa học!').waitFor();
    await learner.getByText('Đúng, không ai được hỏi mã OTP.').waitFor();
    await expectNoSidewaysScroll(learner);
    await learner.screenshot({ path: join(screenshotDir, 'quiz-passed-390.png'), fullPage: true });

    await learner.getByRole('link', { name: 'Về trang khóa học' }).first().click();
    await learner.getByText('Bạn đã hoàn thành khóa học này.').waitFor();
    await learner.goto(`${site()}/`);
    await learner.locator('.card', { hasText: title }).getByText('Đã hoàn thành').waitFor();
    await learner.screenshot({ path: join(screenshotDir, 'home-completed-390.png'), fullPage: true });
  });
});
