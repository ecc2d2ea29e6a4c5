import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, phoneContext, repoDir, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

const run = promisify(execFile);
let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  // the API owns its PGlite folder once started, so the fixture is written before it starts
  dataDir = mkdtempSync(join(tmpdir(), 'hts-e2e-indicators-'));
  await run(process.execPath, ['--import', 'tsx', 'src/testing/seed-indicator-fixture.ts'], {
    cwd: join(repoDir, 'apps/api'),
    env: { ...process.env, DATA_DIR: dataDir, DEMO_PASSWORD, DATABASE_URL: '' },
  });
  api = await startApi({ DATA_DIR: dataDir });
  web = await startWeb(api.url);
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function site(): string {
  if (!web) throw new Error('the web server did not start');
  return web.url;
}

async function signedInOfficer(): Promise<Page> {
  if (!browser) throw new Error('Chromium did not start');
  const page = await (await phoneContext(browser)).newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${site()}/login`);
  await page.locator('input[name=login]').fill('officer@demo.local');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form button[type=submit]').first().click()]);
  return page;
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page ${page.url()} is ${width}px wide`).toBeLessThanOrEqual(390);
}

describe('indicators in the browser', () => {
  it('shows a commune officer the four targets with the hand-computed numbers, drills to a person’s certificate, and refuses the neighbouring commune', async () => {
    const page = await signedInOfficer();
    await page.goto(`${site()}/officer/indicators?year=2025`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Chỉ tiêu học tập');
    const card = (id: string) => page.locator(`[data-indicator="${id}"]`).first();
    // hand-computed in packages/domain/src/indicators/fixture.ts
    expect(await card('khuyen-hoc-trained').textContent()).toContain('3 trên 5');
    expect(await card('khuyen-hoc-trained').textContent()).toContain('60%');
    expect(await card('adults-collectives-title').textContent()).toContain('3 trên 5');
    expect(await card('unit-staff-title').textContent()).toContain('83,3%');
    expect(await card('unit-staff-title').textContent()).toContain('5 trên 6');
    expect(await card('title-holders-digital').textContent()).toContain('4 trên 8');
    expect(await card('title-holders-digital').textContent()).toContain('Chỉ tiêu 75%');
    await expectNoSidewaysScroll(page);
    await card('title-holders-digital').locator('summary').first().click();
    await page.screenshot({ path: join(screenshotDir, 'indicators-commune-390.png'), fullPage: true });

    // drill from "digital skills among title holders" to a person and their certificate
    await Promise.all([page.waitForURL((u) => u.pathname === '/officer/indicators/people'), card('title-holders-digital').locator('a.people-link').click()]);
    expect(await page.locator('main').textContent()).toContain('4 trong số 8 được tính vào tử số.');
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(screenshotDir, 'indicators-people-390.png'), fullPage: true });
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith('/officer/indicators/evidence/')),
      page.getByRole('link', { name: 'Nguyễn Văn An' }).click(),
    ]);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Nguyễn Văn An');
    const evidence = await page.locator('main').textContent();
    expect(evidence).toContain('Kỹ năng số cơ bản');
    expect(evidence).toContain('Quyết định số 12/QĐ-UBND-07627');
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(screenshotDir, 'indicators-evidence-390.png'), fullPage: true });

    const res = await page.goto(`${site()}/officer/indicators?year=2025&commune=07615`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('Bạn không có quyền xem trang này.');
    await page.screenshot({ path: join(screenshotDir, 'indicators-403-390.png') });
  });

  it('shows the public headline rates with small communes hidden', async () => {
    if (!browser) throw new Error('Chromium did not start');
    const page = await (await phoneContext(browser)).newPage();
    await page.goto(`${site()}/indicators?year=2025`);
    const digital = page.locator('[data-indicator="title-holders-digital"]');
    expect(await digital.textContent()).toContain('8 trên 16');
    await digital.locator('summary', { hasText: 'Theo xã, phường' }).click();
    expect(await digital.locator('.communes').textContent()).toContain('Ẩn');
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(screenshotDir, 'indicators-public-390.png'), fullPage: true });
  });

  it('makes the yearly report in the background with a progress bar and a download link', async () => {
    const page = await signedInOfficer();
    await page.goto(`${site()}/officer/indicators?year=2025`);
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith('/officer/indicators/exports/')),
      page.getByRole('button', { name: 'Tải tệp Excel' }).click(),
    ]);
    expect(await page.locator('[role=progressbar]').count()).toBe(1);
    await expect.poll(() => page.locator('main').textContent(), { timeout: 60_000, interval: 1_000 }).toContain('Tệp đã sẵn sàng.');
    const href = await page.getByRole('link', { name: 'Tải về tệp Excel' }).getAttribute('href');
    // the API signs links for PUBLIC_URL, which this harness does not set: fetch the same path from the web server
    const link = new URL(href ?? '', site());
    expect(link.pathname).toMatch(/^\/objects\/exports\/indicators\/[0-9a-f-]+\.xlsx$/);
    const file = await page.request.get(`${site()}${link.pathname}${link.search}`);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.screenshot({ path: join(screenshotDir, 'indicators-export-390.png') });
  });
});
