import { criteriaSetVersions, geoUnits, personTitleAwards, registryPeople } from '@hts/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let officer: string;
let head: { token: string; userId: string };
let unitId: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
  const file = [
    'ten_don_vi,loai_don_vi,ma_don_vi,vai_tro,ma_xa,ho_ten,nam_sinh,so_dien_thoai',
    'Trường Tiểu học Đại Sơn,Trường học,2400123456,Hiệu trưởng,07627,Đào Thị Lan,1972,0912000001',
    'Trường Tiểu học Đại Sơn,Trường học,2400123456,Thành viên,07627,Bùi Văn Sơn,1988,',
  ].join('\n');
  const checked = await t.app.inject({
    method: 'POST',
    url: '/api/registry/imports?kind=units&fileName=don-vi.csv',
    headers: { ...bearer(officer), 'content-type': 'text/csv' },
    payload: file,
  });
  await t.app.inject({ method: 'POST', url: `/api/registry/imports/${checked.json().id}/apply`, headers: bearer(officer), payload: {} });
  const registered = (
    await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen({ phone: '0912000001', email: undefined, birthYear: 1972 }) })
  ).json();
  head = { token: registered.accessToken, userId: registered.user.id };
  // Registering with the phone of the registry person links them (the link rule has its own tests).
  const [lan] = await t.db.select({ userId: registryPeople.userId }).from(registryPeople).where(eq(registryPeople.nameKey, 'dao thi lan'));
  if (lan?.userId !== head.userId) throw new Error('the head was not linked to the account');
});
afterAll(async () => t?.close());

async function awardPersonTitle(userId: string, year: number) {
  const [commune] = await t.db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, '07627'));
  await t.db
    .insert(criteriaSetVersions)
    .values({
      id: 'test-set@2025.1',
      code: 'test-set',
      version: '2025.1',
      kind: 'criteria_set',
      yearFrom: 2025,
      yearTo: 2030,
      contentHash: 'h',
      definition: {},
      source: 'test',
    })
    .onConflictDoNothing();
  await t.db.insert(personTitleAwards).values({
    userId,
    year,
    classification: 'dat',
    score: 85,
    criteriaSetVersionId: 'test-set@2025.1',
    communeId: commune?.id as string,
    decisionNumber: '01/QĐ-UBND',
    decisionDate: `${year}-11-20`,
  });
}

describe('collective title status', () => {
  it('lists the learning units of the officer commune with what is missing for the title', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/registry/collectives?kind=unit&year=2026', headers: bearer(officer) });
    expect(res.statusCode).toBe(200);
    const [unit] = res.json().items;
    unitId = unit.id;
    expect(unit).toMatchObject({
      name: 'Trường Tiểu học Đại Sơn',
      communeCode: '07627',
      ruleId: 'don-vi-hoc-tap@2025.1',
      members: 2,
      passed: false,
      award: null,
    });
    expect(unit.missing.map((m: { requirement: string; short: number }) => [m.requirement, m.short])).toEqual([
      ['thanh-vien-dat-cdht', 2],
      ['thu-truong-dat-cdht', 1],
    ]);
  });

  it('counts a member title once the member is linked to an account that holds it', async () => {
    await awardPersonTitle(head.userId, 2026);
    const res = await t.app.inject({ method: 'GET', url: `/api/registry/collectives/unit/${unitId}?year=2026`, headers: bearer(officer) });
    expect(res.statusCode).toBe(200);
    const unit = res.json();
    expect(unit.requirements.map((r: { code: string; passed: boolean; count: number; needed: number }) => [r.code, r.passed, r.count, r.needed])).toEqual([
      ['thanh-vien-dat-cdht', false, 1, 2],
      ['thu-truong-dat-cdht', true, 1, 1],
    ]);
    expect(unit.missing[0].people.map((p: { fullName: string }) => p.fullName)).toEqual(['Bùi Văn Sơn']);
    // other years are evaluated on their own
    const before = (await t.app.inject({ method: 'GET', url: `/api/registry/collectives/unit/${unitId}?year=2025`, headers: bearer(officer) })).json();
    expect(before.requirements[1].passed).toBe(false);
  });

  it('shows the head their own collectives with the missing list, and nobody else', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/me/collectives?year=2026', headers: bearer(head.token) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((c: { kind: string; name: string }) => [c.kind, c.name])).toEqual([['unit', 'Trường Tiểu học Đại Sơn']]);
    expect((await t.app.inject({ method: 'GET', url: `/api/registry/collectives/unit/${unitId}`, headers: bearer(head.token) })).statusCode).toBe(200);

    const stranger = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken;
    expect((await t.app.inject({ method: 'GET', url: `/api/registry/collectives/unit/${unitId}`, headers: bearer(stranger) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/me/collectives', headers: bearer(stranger) })).json()).toEqual({ items: [] });
    expect((await t.app.inject({ method: 'GET', url: '/api/registry/collectives?kind=unit', headers: bearer(stranger) })).statusCode).toBe(403);
  });

  it('refuses a commune outside the officer scope and a bad kind with the field at fault', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/registry/collectives?kind=unit&communeCode=07615', headers: bearer(officer) })).statusCode).toBe(
      403,
    );
    const bad = await t.app.inject({ method: 'GET', url: '/api/registry/collectives?kind=school', headers: bearer(officer) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toContain('kind');
  });
});
