import { queryRows } from '@hts/db';
import {
  claimJob,
  completeJob,
  INDICATORS_EXPORT_JOB,
  rebuildIndicatorRollups,
  refreshDirtyIndicators,
  reportJobProgress,
  runIndicatorExport,
  systemClock,
} from '@hts/domain';
import { INDICATOR_FIXTURE_YEAR, indicatorFixtureExpected, seedIndicatorFixture } from '@hts/domain/testing';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let officer: string;
let province: string;
let citizen: string;
beforeAll(async () => {
  t = await createTestApp();
  await seedIndicatorFixture(t.db, '07627');
  await seedIndicatorFixture(t.db, '07615');
  await rebuildIndicatorRollups(t.db, systemClock);
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken; // scope: 07627 Đại Sơn
  citizen = (await signInAs(t.app, 'citizen@demo.local')).accessToken;
  const admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: bearer(admin),
    payload: { email: 'tinh@bacninh.gov.vn', fullName: 'Cán bộ tỉnh', password: 'mat-khau-tinh', roles: [{ role: 'officer', scopeCodes: ['24'] }] },
  });
  expect(created.statusCode).toBe(201);
  province = (await signInAs(t.app, 'tinh@bacninh.gov.vn', 'mat-khau-tinh')).accessToken;
});
afterAll(async () => t?.close());

const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });

describe('GET /api/indicators', () => {
  it('gives a commune officer every indicator of their commune, matching the hand-computed fixture', async () => {
    const res = await get(`/api/indicators?year=${INDICATOR_FIXTURE_YEAR}`, officer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scope).toEqual({ kind: 'commune', communes: [{ code: '07627', name: 'Đại Sơn' }] });
    for (const [id, expected] of Object.entries(indicatorFixtureExpected)) {
      const view = body.indicators.find((i: { id: string }) => i.id === id);
      expect(view, id).toMatchObject({ ...expected, version: '2025.1' });
    }
    const titleDigital = body.indicators.find((i: { id: string }) => i.id === 'title-holders-digital');
    expect(titleDigital).toMatchObject({ rate: 50, target: { year: 2025, value: 75, level: 'province' }, headline: true });
    expect(titleDigital.methodVi).toContain('Tử số');
  });

  it('narrows to the officer’s own commune with &commune=', async () => {
    const res = await get('/api/indicators?year=2025&commune=07627', officer);
    expect(res.statusCode).toBe(200);
    expect(res.json().indicators.find((i: { id: string }) => i.id === 'unit-staff-title')).toMatchObject({ numerator: 5, denominator: 6, rate: 83.3 });
  });

  it('refuses a neighbouring commune with 403 and records the refusal', async () => {
    const res = await get('/api/indicators?year=2025&commune=07615', officer);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('07615') });
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'auth.permission_denied' and subject_id = '07615'`,
    );
    expect(row?.n).toBeGreaterThan(0);
  });

  it('gives a province officer all 99 communes, ranked, and the sum of both fixture communes', async () => {
    const res = await get('/api/indicators?year=2025', province);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scope.kind).toBe('province');
    const adults = body.indicators.find((i: { id: string }) => i.id === 'adults-collectives-title');
    expect(adults).toMatchObject({ numerator: 6, denominator: 10, rate: 60 });
    expect(adults.byCommune).toHaveLength(99);
    expect(
      adults.byCommune
        .slice(0, 2)
        .map((c: { code: string }) => c.code)
        .sort(),
    ).toEqual(['07615', '07627']);
    expect(adults.trend).toHaveLength(12);
    expect((await get('/api/indicators?year=2025&commune=07615', province)).statusCode).toBe(200);
  });

  it('answers 404 with a clear message for a year without definitions', async () => {
    const res = await get('/api/indicators?year=2019', officer);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'not_found',
      message: 'no indicator is defined for 2019; the definitions cover 2021–2030',
      details: [{ field: '/query/year' }],
    });
  });

  it('rejects a commune code that is not 5 digits, and an unknown one', async () => {
    expect((await get('/api/indicators?year=2025&commune=276', officer)).statusCode).toBe(400);
    const unknown = await get('/api/indicators?year=2025&commune=99999', province);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().details[0].field).toBe('/query/commune');
  });

  it('needs an officer: 401 without a token, 403 for a citizen', async () => {
    expect((await get('/api/indicators?year=2025')).statusCode).toBe(401);
    expect((await get('/api/indicators?year=2025', citizen)).statusCode).toBe(403);
  });
});

describe('GET /api/public/indicators', () => {
  it('shows the headline rates with small communes and their complements hidden', async () => {
    const res = await get('/api/public/indicators?year=2025');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.indicators.map((i: { id: string }) => i.id)).toEqual([
      'khuyen-hoc-trained',
      'adults-collectives-title',
      'unit-staff-title',
      'title-holders-digital',
    ]);
    const digital = body.indicators.find((i: { id: string }) => i.id === 'title-holders-digital');
    // each fixture commune has 4 of 8: too small to show; together (8 of 16) the province rate is safe
    expect(digital.province).toEqual({ suppressed: false, numerator: 8, denominator: 16, rate: 50 });
    for (const code of ['07627', '07615'])
      expect(digital.communes.find((c: { code: string }) => c.code === code)).toMatchObject({ suppressed: true, numerator: null, rate: null });
    // 3 of 5 per commune: 6 of 10 in all still leaves 4 people without the title, so the total is hidden too
    const adults = body.indicators.find((i: { id: string }) => i.id === 'adults-collectives-title');
    expect(adults.province).toEqual({ suppressed: true, numerator: null, denominator: null, rate: null });
    // communes with nobody counted show 0 of 0 (nobody to protect)
    expect(adults.communes.find((c: { code: string }) => c.code === '07642')).toMatchObject({ suppressed: false, denominator: 0, rate: null });
    expect(JSON.stringify(body)).not.toContain('Nguyễn');
  });

  it('answers 404 for a year without definitions', async () => {
    expect((await get('/api/public/indicators?year=2040')).statusCode).toBe(404);
  });
});

describe('POST /api/indicators/official-counts', () => {
  const post = (token: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/indicators/official-counts', headers: bearer(token), payload });

  it('rejects negative, non-numeric and unknown-commune rows with the list of rows, importing nothing', async () => {
    const csv = 'commune_code,target_group,count\n07627,,120\n07627,nong-dan,-3\n07627,cong-nhan,mười\n12345,,9\n';
    const res = await post(officer, { year: 2025, countKey: 'adults', csv });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: '/body/csv/line/3', message: 'count -3 is negative' },
      { field: '/body/csv/line/4', message: 'count "mười" is not a whole number' },
      { field: '/body/csv/line/5', message: 'unknown commune code 12345' },
    ]);
    const [row] = await queryRows<{ count: number }>(
      t.db,
      sql`select count from indicator_official_counts oc join geo_units g on g.id = oc.commune_id where g.code = '07627' and oc.target_group_id is null`,
    );
    expect(row?.count).toBe(40);
  });

  it('refuses rows for a commune outside the officer’s scope with 403', async () => {
    const res = await post(officer, { year: 2025, countKey: 'adults', csv: 'commune_code,target_group,count\n07615,,80\n' });
    expect(res.statusCode).toBe(403);
    expect(res.json().details).toEqual([{ field: '/body/csv/line/2', message: 'commune 07615 is outside your scope' }]);
  });

  it('refuses a count key no indicator uses, naming the field', async () => {
    const res = await post(officer, { year: 2025, countKey: 'trees', csv: 'commune_code,target_group,count\n07627,,80\n' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toEqual({ field: '/body/countKey', message: 'use one of: adults' });
  });

  it('imports good rows and the denominator follows after the refresh, though the dashboard was served from memory before', async () => {
    const digitalAdults = async () =>
      (await get('/api/indicators?year=2025', officer)).json().indicators.find((i: { id: string }) => i.id === 'digital-adults');
    // twice: the second answer comes from the process's dashboard cache
    expect((await digitalAdults()).denominator).not.toBe(50);
    expect((await digitalAdults()).denominator).not.toBe(50);
    const res = await post(officer, { year: 2025, countKey: 'adults', csv: 'commune_code,target_group,count\n07627,,50\n' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 1, communes: 1 });
    await refreshDirtyIndicators(t.db, systemClock);
    expect(await digitalAdults()).toMatchObject({ numerator: 5, denominator: 50, rate: 10 });
  });
});

describe('drill-down from a number to the people and their evidence', () => {
  it('lists the people behind "digital skills among title holders" in the officer’s commune, and audits the read', async () => {
    const res = await get('/api/indicators/people?year=2025&indicator=title-holders-digital&commune=07627', officer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.subjectKind).toBe('account');
    expect(body.items).toHaveLength(8);
    expect(
      body.items
        .filter((i: { counted: boolean }) => i.counted)
        .map((i: { name: string }) => i.name)
        .sort(),
    ).toEqual(['Nguyễn Văn An', 'Hoàng Thị Hoa', 'Vũ Văn Khải', 'Đặng Thị Ngọc'].sort());
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'personal_data.read' and subject_id = 'title-holders-digital/2025/07627'`,
    );
    expect(row?.n).toBe(1);
  });

  it('shows a person’s title award and digital-skill confirmation with its evidence', async () => {
    const list = (await get('/api/indicators/people?year=2025&indicator=title-holders-digital&commune=07627', officer)).json();
    const an = list.items.find((i: { name: string }) => i.name === 'Nguyễn Văn An');
    const res = await get(`/api/indicators/evidence/account/${an.id}`, officer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.person).toMatchObject({ name: 'Nguyễn Văn An', commune: { code: '07627' } });
    expect(body.titles[0]).toMatchObject({ year: 2025, decisionNumber: '12/QĐ-UBND-07627', revokedAt: null });
    expect(body.confirmations[0]).toMatchObject({ source: 'automatic', evidence: [{ kind: 'credential', label: 'Kỹ năng số cơ bản' }] });
    expect(body.khuyenHoc).toMatchObject({ role: 'cadre', trainedOn: '2025-03-01' });
    expect(body.memberships).toEqual([{ kind: 'household', name: 'Hộ ông Nguyễn Văn An', current: true }]);
  });

  it('refuses the people and the evidence of a neighbouring commune with 403', async () => {
    expect((await get('/api/indicators/people?year=2025&indicator=title-holders-digital&commune=07615', officer)).statusCode).toBe(403);
    const theirs = (await get('/api/indicators/people?year=2025&indicator=title-holders-digital&commune=07615', province)).json();
    const res = await get(`/api/indicators/evidence/account/${theirs.items[0].id}`, officer);
    expect(res.statusCode).toBe(403);
  });

  it('answers 404 for an indicator not defined that year', async () => {
    const res = await get('/api/indicators/people?year=2025&indicator=no-such-thing&commune=07627', officer);
    expect(res.statusCode).toBe(404);
    expect(res.json().details[0].field).toBe('/query/indicator');
  });
});

describe('yearly report export', () => {
  const runExportJob = async () => {
    const job = await claimJob(t.db, 'test-worker', [INDICATORS_EXPORT_JOB]);
    if (!job) throw new Error('no export job was queued');
    const seen: number[] = [];
    await runIndicatorExport({ store: t.objectStore, clock: systemClock }, t.db, job, async (p) => {
      seen.push(p);
      await reportJobProgress(t.db, job.id, p);
    });
    await completeJob(t.db, job.id);
    return { job, seen };
  };
  const post = (token: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/indicators/exports', headers: bearer(token), payload });

  it('writes the province report as XLSX shaped like a report form, in a background job, with definition versions and generation time', async () => {
    const res = await post(province, { year: 2025, format: 'xlsx' });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    expect((await get(`/api/indicators/exports/${id}`, province)).json()).toMatchObject({ status: 'queued', progress: 0, url: null });
    const { seen } = await runExportJob();
    expect(seen.at(-1)).toBe(100);
    const state = (await get(`/api/indicators/exports/${id}`, province)).json();
    expect(state).toMatchObject({ status: 'done', progress: 100, format: 'xlsx' });
    expect(state.url).toMatch(/^http/);
    const workbook = new ExcelJS.Workbook();
    const file = await t.objectStore.getBuffer(`exports/indicators/${id}.xlsx`);
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    // title block: the unit and the motto, the title with the year, the generation time
    expect(sheet?.getCell('A1').value).toBe('HỘI KHUYẾN HỌC TỈNH BẮC NINH');
    expect(sheet?.getCell('E1').value).toBe('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet?.getCell('A4').value).toBe('BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025');
    expect(String(sheet?.getCell('A5').value)).toMatch(/Năm báo cáo: 2025\. Thời điểm tạo: 20\d\d-/);
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[0] === 'STT')).toEqual([
      'STT',
      'Chỉ tiêu / Xã, phường',
      'Mã xã',
      'Tử số',
      'Mẫu số',
      'Tỷ lệ (%)',
      'Chỉ tiêu (%)',
      'So với chỉ tiêu',
      'Phiên bản định nghĩa',
    ]);
    // numbered sections per indicator group, in order; one numbered row per indicator, one per commune under it
    expect(rows.filter((r) => ['I', 'II', 'III', 'IV'].includes(r[0] as string)).map((r) => r[0])).toEqual(['I', 'II', 'III', 'IV']);
    const section = (numeral: string) => rows.findIndex((r) => r[0] === numeral);
    const unitStaff = rows.findIndex((r) => r[8] === 'unit-staff-title@2025.1');
    expect(unitStaff).toBeGreaterThan(section('I'));
    expect(unitStaff).toBeLessThan(section('II'));
    expect(rows.findIndex((r) => r[8] === 'title-holders-digital@2025.1')).toBeGreaterThan(section('IV'));
    const number = rows[unitStaff]?.[0] as string;
    const daiSon = rows.slice(unitStaff + 1, unitStaff + 100).find((r) => r[2] === '07627');
    expect(daiSon?.[0]).toMatch(new RegExp(`^${number}\\.\\d+$`));
    expect(daiSon?.slice(1, 8)).toEqual(['Đại Sơn', '07627', 5, 6, 83.3, 65, 'Đạt']);
    expect(rows.filter((r) => /^\d+\.\d+$/.test(String(r[0])))).toHaveLength(11 * 99);
    // footer: the definitions used, then the signature block
    expect(rows.some((r) => String(r[1]).startsWith('title-holders-digital@2025.1: '))).toBe(true);
    expect(rows.at(-1)?.[1]).toBe('NGƯỜI LẬP BIỂU');
  });

  it('writes a commune report as CSV, and keeps it from other officers', async () => {
    const res = await post(officer, { year: 2025, format: 'csv' });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    await runExportJob();
    const text = (await t.objectStore.getBuffer(`exports/indicators/${id}.csv`)).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[1]).toContain('Phiên bản định nghĩa: khuyen-hoc-trained@2025.1');
    expect(lines).toContain('2025,title-holders-digital,"Người đạt danh hiệu ""Công dân học tập"" có kỹ năng số",2025.1,07627,Đại Sơn,4,8,50,75');
    expect((await get(`/api/indicators/exports/${id}`, province)).statusCode).toBe(404);
  });

  it('refuses a report of a neighbouring commune with 403 before queuing anything', async () => {
    const res = await post(officer, { year: 2025, commune: '07615', format: 'xlsx' });
    expect(res.statusCode).toBe(403);
    expect(await claimJob(t.db, 'test-worker', [INDICATORS_EXPORT_JOB])).toBeNull();
  });
});
