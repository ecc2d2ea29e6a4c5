import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, freePort, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
let clip = '';
let captions = '';

beforeAll(async () => {
  const port = await freePort();
  // The local object folder's signed URLs must point at the web address the browser uses.
  api = await startApi({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  web = await startWeb(api.url, port);
  browser = await launchBrowser();
  const dir = await mkdtemp(join(tmpdir(), 'hts-e2e-clip-'));
  clip = join(dir, 'bai-giang.mp4');
  captions = join(dir, 'phu-de.srt');
  writeFileSync(captions, '1\n00:00:00,500 --> 00:00:03,000\nXin chào các bạn học viên\n');
  // Colour bars and a tone, 4 s of 360p: two video rungs (234p, 360p) and the audio-only rendition.
  await promisify(execFile)('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', clip],
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
});

async function signedInPage(login: string): Promise<Page> {
  if (!browser || !web) throw new Error('the servers did not start');
  const context = await phoneContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${web.url}/login`);
  await page.getByLabel('E-mail hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

describe('lesson video, from upload to playback', () => {
  it('uploads a clip as a trainer, waits for transcoding, and previews it with hls.js; a citizen outside its courses may not play it', async () => {
    const trainer = await signedInPage('trainer@demo.local');
    await trainer.goto(`${web?.url}/trainer/media`);
    await trainer.getByLabel('Tên video').fill('Bài 1: Gọi video qua Zalo');
    await trainer.getByLabel('Tệp video hoặc âm thanh').setInputFiles(clip);
    await trainer.getByRole('button', { name: 'Tải lên' }).click();
    await expect.poll(() => trainer.getByRole('status').textContent(), { timeout: 60_000 }).toContain('Đã tải lên');
    expect(await trainer.locator('.percent').textContent()).toBe('100%');

    const item = trainer.locator('.media-list li').first();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 120_000, interval: 1000 }).toBe('ready');
    const assetId = (await item.getAttribute('data-id')) as string;
    await trainer.screenshot({ path: join(screenshotDir, 'trainer-media.png'), fullPage: true });
    // Nothing may stick out sideways on a 390 px phone.
    expect(await trainer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await item.getByLabel('Thêm phụ đề (WebVTT hoặc SRT)').setInputFiles(captions);
    await expect.poll(() => trainer.getByText('Đã thêm phụ đề.').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => item.getByText('Phụ đề: Tiếng Việt').count()).toBe(1);

    // A citizen may watch it only through a course they are enrolled in (the course browser test does that).
    const outsider = await signedInPage('citizen@demo.local');
    await outsider.goto(`${web?.url}/media/${assetId}`);
    await expect.poll(() => outsider.getByRole('alert').textContent()).toBe('Không phát được video này. Vui lòng tải lại trang.');
    expect(await outsider.locator('figure.player').getAttribute('data-error')).toBe('playback: HTTP 403');
    await outsider.context().close();

    // The trainer previews it in the same player a lesson uses.
    await trainer.goto(`${web?.url}/media/${assetId}`);
    const player = trainer.locator('figure.player');
    const logs: string[] = [];
    trainer.on('console', (m) => logs.push(m.text()));
    trainer.on('requestfailed', (r) => logs.push(`failed ${r.url()} ${r.failure()?.errorText}`));
    // More than one rendition reached the player (234p and 360p for a 360p source).
    await expect
      .poll(async () => Number(await player.getAttribute('data-levels')), { timeout: 30_000 })
      .toBeGreaterThan(1)
      .catch(async (error) => {
        throw new Error(`${error}: engine ${await player.getAttribute('data-engine')}, error ${await player.getAttribute('data-error')}, ${logs.join(' | ')}`);
      });
    expect(await player.getAttribute('data-engine')).toBe('hls.js');
    // Vietnamese captions are offered, selected by default.
    expect(await trainer.locator('video track[srclang="vi"][label="Tiếng Việt"]').count()).toBe(1);
    await trainer.evaluate(async () => {
      const video = document.querySelector('video') as HTMLVideoElement;
      video.muted = true;
      await video.play();
    });
    await expect.poll(() => trainer.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime), { timeout: 30_000 }).toBeGreaterThan(1);
    await trainer.evaluate(() => (document.querySelector('video') as HTMLVideoElement).pause());
    const intervals = JSON.parse((await trainer.locator('.watched').getAttribute('data-intervals')) ?? '[]') as Array<{ start: number; end: number }>;
    expect(intervals.length).toBeGreaterThan(0);
    await trainer.screenshot({ path: join(screenshotDir, 'player.png') });
    await trainer.context().close();
  });
});
