import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, launchBrowser, phoneContext, type Server, screenshotDir, startApi, startWeb, stop } from './harness.ts';

let api: (Server & { dataDir: string }) | undefined;
let web: Server | undefined;
let browser: Browser | undefined;
const YEAR = new Date().getUTCFullYear();
const TODAY = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  api = await startApi();
  web = await startWeb(api.url);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stop(web);
  await stop(api);
  if (api) rmSync(api.dataDir, { recursive: true, force: true });
});

/** The fields of the API's answers this test reads. */
type Answer = { id: string; accessToken: string; result: { score: number; pass: boolean } };

/** Calls the API as `token`; fails the test on an unexpected status. */
async function call(method: string, path: string, token: string | null, body?: unknown, expected = 200): Promise<Answer> {
  const res = await fetch(`${api?.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(expected);
  return (text ? JSON.parse(text) : {}) as Answer;
}
const tokenOf = async (login: string, password = DEMO_PASSWORD) => (await call('POST', '/api/auth/login', null, { login, password })).accessToken;

async function signIn(login: string, password = DEMO_PASSWORD): Promise<Page> {
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

describe('collective titles in the browser', () => {
  let assessmentId = '';

  it('lets the branch attest criteria while confirming a household head’s form', async () => {
    const officer = await tokenOf('officer@demo.local');
    // two households of Đại Sơn: Bà Hạnh's (she will hold the title) and Ông Tùng's (nobody does)
    const file = [
      'ma_ho,ten_ho,vai_tro,ma_xa,ho_ten,nam_sinh,so_dien_thoai',
      'DS-11,Hộ bà Vũ Thị Hạnh,Chủ hộ,07627,Vũ Thị Hạnh,1978,0966000222',
      'DS-12,Hộ ông Đinh Văn Tùng,Chủ hộ,07627,Đinh Văn Tùng,1965,',
    ].join('\n');
    const checked = await fetch(`${api?.url}/api/registry/imports?kind=households&fileName=ho.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'text/csv' },
      body: file,
    });
    expect(checked.status).toBe(201);
    await call('POST', `/api/registry/imports/${((await checked.json()) as { id: string }).id}/apply`, officer, {});
    await call(
      'POST',
      '/api/auth/register',
      null,
      { phone: '0966000222', fullName: 'Vũ Thị Hạnh', birthYear: 1978, communeCode: '07627', targetGroupCode: 'nong-dan', password: 'mat-khau-123' },
      201,
    );
    const hanh = await tokenOf('0966000222', 'mat-khau-123');
    const opened = await call('POST', '/api/me/self-assessments', hanh, { year: YEAR });
    assessmentId = opened.id;
    // she declares everything but the four criteria the branch attests (3, 4, 9, 10): 60 points, not enough yet
    const items = ['1', '2', '5', '6', '7', '8'].map((criterionId) => ({ criterionId, points: 10, comment: 'Có tham gia' }));
    expect((await call('PUT', `/api/me/self-assessments/${assessmentId}/items`, hanh, { items })).result.score).toBe(60);
    await call('POST', `/api/me/self-assessments/${assessmentId}/submit`, hanh, {});

    const branch = await signIn('branch@demo.local');
    await branch.goto(`${web?.url}/reviews/${assessmentId}`);
    for (const id of ['3', '4', '9', '10'])
      await branch.locator(`[data-criterion="${id}"]`).getByLabel('Chi hội xác nhận tiêu chí này (tính đủ 10 điểm)').check();
    await branch.getByLabel('Ghi chú xác nhận tiêu chí 9').fill('Hòa giải tốt ở thôn');
    await branch.screenshot({ path: join(screenshotDir, 'review-attest.png'), fullPage: true });
    await branch.getByRole('button', { name: 'Xác nhận', exact: true }).click();
    await branch.getByText('Đã xác nhận phiếu.').waitFor();
    await branch.locator('[data-criterion="9"] [data-attested]').waitFor();
    expect(await branch.locator('[data-criterion="9"] [data-attested]').textContent()).toContain('Hòa giải tốt ở thôn');
    expect(await branch.getByTestId('score').textContent()).toContain('100');

    await branch.screenshot({ path: join(screenshotDir, 'review-attested.png'), fullPage: true });

    // the citizen's form shows the same: "Chi hội xác nhận" on the attested criteria, a declaration on the others
    const citizen = await signIn('0966000222', 'mat-khau-123');
    await citizen.goto(`${web?.url}/self-assessment?year=${YEAR}`);
    await citizen.locator('[data-criterion="9"] [data-attested]').waitFor();
    expect(await citizen.locator('[data-criterion="9"]').textContent()).toContain('Chi hội xác nhận');
    expect(await citizen.locator('[data-criterion="9"]').textContent()).toContain('Hòa giải tốt ở thôn');
    expect(await citizen.locator('[data-attested]').count()).toBe(4);
    await citizen.screenshot({ path: join(screenshotDir, 'self-assessment-attested.png'), fullPage: true });
    await call('POST', '/api/reviews/approvals', officer, { assessmentIds: [assessmentId], decisionNumber: '05/QĐ-UBND', decisionDate: TODAY });
  });

  it('lets the officer award the household title in a batch under a decision, and revoke it', async () => {
    const page = await signIn('officer@demo.local');
    await page.goto(`${web?.url}/officer/collectives?kind=household&year=${YEAR}`);
    const hanh = page.locator('article.collective', { hasText: 'Hộ bà Vũ Thị Hạnh' });
    const tung = page.locator('article.collective', { hasText: 'Hộ ông Đinh Văn Tùng' });
    await hanh.waitFor();
    expect(await hanh.getAttribute('data-passed')).toBe('true');
    expect(await tung.getAttribute('data-passed')).toBe('false');
    // only a household whose rule holds can be selected; the other shows what it misses
    expect(await tung.getByRole('checkbox').count()).toBe(0);
    expect(await tung.locator('.names').first().textContent()).toContain('Đinh Văn Tùng');
    expect(await hanh.getByLabel('Chọn Hộ bà Vũ Thị Hạnh để công nhận').isChecked()).toBe(true);
    await page.getByLabel('Số quyết định').fill('   ');
    await page.getByRole('button', { name: 'Công nhận các tập thể đã chọn' }).click();
    await page.getByText('Vui lòng chọn ít nhất một tập thể, nhập số quyết định').waitFor();
    await page.getByLabel('Số quyết định').fill('18/QĐ-UBND');
    await page.screenshot({ path: join(screenshotDir, 'collectives-award.png'), fullPage: true });
    await page.getByRole('button', { name: 'Công nhận các tập thể đã chọn' }).click();
    await page.getByText('Đã công nhận 1 tập thể.').waitFor();
    await hanh.getByText('Đã được công nhận: quyết định 18/QĐ-UBND').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'collectives-awarded.png'), fullPage: true });

    // the head sees it on her page
    const head = await signIn('0966000222', 'mat-khau-123');
    await head.goto(`${web?.url}/collectives`);
    await head.getByText('Đã được công nhận: quyết định 18/QĐ-UBND').waitFor();

    await hanh.getByText('Thu hồi danh hiệu').first().click();
    await hanh.getByLabel('Lý do thu hồi').fill('Hộ chuyển đi nơi khác');
    await hanh.getByLabel('Số quyết định thu hồi').fill('19/QĐ-UBND');
    await hanh.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
    await page.getByText('Đã thu hồi danh hiệu của Hộ bà Vũ Thị Hạnh.').waitFor();
    await page.locator('article.collective', { hasText: 'Hộ bà Vũ Thị Hạnh' }).getByText('Đủ điều kiện xét công nhận').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'collectives-revoked.png'), fullPage: true });
  });
});
