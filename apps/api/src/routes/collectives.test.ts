import {
  auditLog,
  collectiveTitleAwards,
  criteriaSetVersions,
  evidenceChain,
  geoUnits,
  notifications,
  personTitleAwards,
  queryRows,
  registryHouseholds,
  registryPeople,
} from '@hts/db';
import { refreshDirtyIndicators, systemClock, verifyChain } from '@hts/domain';
import { and, eq, sql } from 'drizzle-orm';
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

async function importFile(token: string, kind: string, lines: string[]) {
  const checked = await t.app.inject({
    method: 'POST',
    url: `/api/registry/imports?kind=${kind}&fileName=${kind}.csv`,
    headers: { ...bearer(token), 'content-type': 'text/csv' },
    payload: lines.join('\n'),
  });
  expect(checked.statusCode, checked.body).toBe(201);
  const applied = await t.app.inject({ method: 'POST', url: `/api/registry/imports/${checked.json().id}/apply`, headers: bearer(token), payload: {} });
  expect(applied.statusCode, applied.body).toBe(200);
}

const householdId = async (code: string) => {
  const [h] = await t.db.select({ id: registryHouseholds.id }).from(registryHouseholds).where(eq(registryHouseholds.code, code));
  return h?.id as string;
};

/** The households-title numerator of a commune for 2026, once the dirty communes are refreshed (as the job does). */
async function familyTitleNumerator(communeCode: string): Promise<number> {
  await refreshDirtyIndicators(t.db, systemClock);
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`select coalesce(sum(r.numerator), 0)::int as n from indicator_rollups r join geo_units g on g.id = r.commune_id
        where r.indicator_id = 'households-title' and r.year = 2026 and g.code = ${communeCode}`,
  );
  return row?.n ?? 0;
}

describe('awarding and revoking collective titles', () => {
  let minh: { token: string; userId: string };
  let titled: string;
  let untitled: string;
  let awardId: string;
  const award = (body: Record<string, unknown>, token = officer) =>
    t.app.inject({ method: 'POST', url: '/api/registry/collective-awards', headers: bearer(token), payload: body });
  const decision = { kind: 'household', year: 2026, decisionNumber: '45/QĐ-UBND', decisionDate: '2026-11-20' };

  beforeAll(async () => {
    await importFile(officer, 'households', [
      'ma_ho,ten_ho,vai_tro,ma_xa,ho_ten,nam_sinh,so_dien_thoai',
      'HGD-01,Hộ ông Trần Văn Minh,Chủ hộ,07627,Trần Văn Minh,1970,0912000011',
      'HGD-01,Hộ ông Trần Văn Minh,Thành viên,07627,Lê Thị Hoa,1974,',
      'HGD-02,Hộ bà Phạm Thị Thu,Chủ hộ,07627,Phạm Thị Thu,1968,',
    ]);
    const registered = (
      await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen({ phone: '0912000011', email: undefined, birthYear: 1970 }) })
    ).json();
    minh = { token: registered.accessToken, userId: registered.user.id };
    await awardPersonTitle(minh.userId, 2026);
    titled = await householdId('HGD-01');
    untitled = await householdId('HGD-02');
  });

  it('refuses the whole batch with 409 naming what is missing when a collective does not meet its rule, writing nothing', async () => {
    const res = await award({ ...decision, collectiveIds: [titled, untitled] });
    expect(res.statusCode).toBe(409);
    expect(res.json().details).toEqual([{ field: '/body/collectiveIds/1', message: expect.stringContaining('Hộ bà Phạm Thị Thu') }]);
    expect(res.json().message).toContain('Hộ bà Phạm Thị Thu');
    expect(await t.db.select().from(collectiveTitleAwards)).toEqual([]);
    // the learning unit: its member without a title is what is missing
    const unit = await award({ ...decision, kind: 'unit', collectiveIds: [unitId] });
    expect(unit.statusCode).toBe(409);
    expect(unit.json().details[0].message).toContain('(1 more)');
  });

  it('answers 400 naming the field for a blank or missing decision number and a decision date in the future', async () => {
    const blank = await award({ ...decision, collectiveIds: [titled], decisionNumber: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().details[0].field).toBe('/body/decisionNumber');
    const { decisionNumber: _omitted, ...noNumber } = decision;
    const missing = await award({ ...noNumber, collectiveIds: [titled] });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().details)).toContain('decisionNumber');
    const future = await award({ ...decision, collectiveIds: [titled], decisionDate: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().details[0].field).toBe('/body/decisionDate');
    const impossible = await award({ ...decision, collectiveIds: [titled], decisionDate: '2026-02-30' });
    expect(impossible.json().details[0].field).toBe('/body/decisionDate');
  });

  it('awards a household whose rule holds: rule version and evaluation stored, chained, audited, head notified, counted by the indicator', async () => {
    expect(await familyTitleNumerator('07627')).toBe(0);
    const res = await award({ ...decision, collectiveIds: [titled] });
    expect(res.statusCode, res.body).toBe(201);
    const [awarded] = res.json().awards;
    awardId = awarded.id;
    expect(awarded).toMatchObject({
      kind: 'household',
      collectiveId: titled,
      name: 'Hộ ông Trần Văn Minh',
      year: 2026,
      title: 'gia-dinh-hoc-tap',
      ruleVersion: 'gia-dinh-hoc-tap@2025.1',
      decisionNumber: '45/QĐ-UBND',
      revokedAt: null,
    });
    expect(awarded.evidence.seq).toBeGreaterThan(0);
    const [row] = await t.db.select().from(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId));
    expect(row?.evaluation).toMatchObject({ passed: true, members: 2, ruleId: 'gia-dinh-hoc-tap@2025.1' });
    const [entry] = await t.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.kind, 'collective_title.award'), eq(evidenceChain.subjectId, awardId)));
    expect(entry?.payload).toMatchObject({ ruleVersion: 'gia-dinh-hoc-tap@2025.1', decisionNumber: '45/QĐ-UBND' });
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'collective_title.award'), eq(auditLog.subjectId, awardId)));
    expect(audits).toHaveLength(1);
    const [note] = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, minh.userId), eq(notifications.kind, 'collective_title.awarded')));
    expect(note?.params).toMatchObject({ name: 'Hộ ông Trần Văn Minh', decisionNumber: '45/QĐ-UBND' });
    // the family-title indicator counts it once the refresh job has run
    expect(await familyTitleNumerator('07627')).toBe(1);
    // the officer's list and the head's page show the award
    const list = (await t.app.inject({ method: 'GET', url: '/api/registry/collectives?kind=household&year=2026', headers: bearer(officer) })).json();
    expect(list.items.find((c: { id: string }) => c.id === titled).award).toEqual({ id: awardId, decisionNumber: '45/QĐ-UBND', decisionDate: '2026-11-20' });
    const mine = (await t.app.inject({ method: 'GET', url: '/api/me/collectives?year=2026', headers: bearer(minh.token) })).json();
    expect(mine.items[0].award.id).toBe(awardId);
  });

  it('answers 409 for a collective already awarded for the year, 403 outside the commune, 404 for an unknown one', async () => {
    const again = await award({ ...decision, collectiveIds: [titled], decisionNumber: '46/QĐ-UBND' });
    expect(again.statusCode).toBe(409);
    expect(again.json().details[0]).toMatchObject({ field: '/body/collectiveIds/0' });
    const admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
    await importFile(admin, 'households', ['ma_ho,ten_ho,vai_tro,ma_xa,ho_ten,nam_sinh', 'HGD-09,Hộ ông Ngô Văn Tám,Chủ hộ,07615,Ngô Văn Tám,1965']);
    const away = await householdId('HGD-09');
    expect((await award({ ...decision, collectiveIds: [away] })).statusCode).toBe(403);
    expect((await award({ ...decision, collectiveIds: [titled, away] })).statusCode).toBe(403);
    const denied = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'collective_title.award'), eq(auditLog.outcome, 'denied')));
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect((await award({ ...decision, collectiveIds: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(404);
    const citizen = await award({ ...decision, collectiveIds: [titled] }, minh.token);
    expect(citizen.statusCode).toBe(403);
  });

  it('revokes with a reason and a decision number: chained, audited, head notified, no longer counted; twice is 409', async () => {
    const revoke = (id: string, body: Record<string, unknown>, token = officer) =>
      t.app.inject({ method: 'POST', url: `/api/registry/collective-awards/${id}/revoke`, headers: bearer(token), payload: body });
    const reason = 'Hộ chuyển đi nơi khác';
    const bad = await revoke(awardId, { reason: 'x', decisionNumber: '50/QĐ-UBND' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('/body/reason');
    expect((await revoke(awardId, { reason, decisionNumber: ' ' })).json().details[0].field).toBe('/body/decisionNumber');
    const res = await revoke(awardId, { reason, decisionNumber: '50/QĐ-UBND' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: awardId, revocationReason: reason, revocationDecisionNumber: '50/QĐ-UBND' });
    expect(res.json().revokedAt).not.toBeNull();
    expect((await revoke(awardId, { reason, decisionNumber: '51/QĐ-UBND' })).statusCode).toBe(409);
    const [entry] = await t.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.kind, 'collective_title.revoke'), eq(evidenceChain.subjectId, awardId)));
    expect(entry?.payload).toMatchObject({ reason, decisionNumber: '50/QĐ-UBND' });
    expect(res.json().evidence.seq).toBe(entry?.seq);
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'collective_title.revoke'), eq(auditLog.subjectId, awardId))),
    ).toHaveLength(1);
    const [note] = await t.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, minh.userId), eq(notifications.kind, 'collective_title.revoked')));
    expect(note?.params).toMatchObject({ reason, decisionNumber: '50/QĐ-UBND' });
    expect(await familyTitleNumerator('07627')).toBe(0);
    expect((await verifyChain(t.db)).ok).toBe(true);
    // the database keeps the award: only its revocation could be written
    await expect(t.db.delete(collectiveTitleAwards).where(eq(collectiveTitleAwards.id, awardId))).rejects.toThrow();

    // an award of another commune cannot be revoked by this officer
    const [commune] = await t.db.select({ id: geoUnits.id }).from(geoUnits).where(eq(geoUnits.code, '07615'));
    const [away] = await t.db
      .insert(collectiveTitleAwards)
      .values({
        subjectKind: 'household',
        householdId: await householdId('HGD-09'),
        communeId: commune?.id as string,
        year: 2026,
        title: 'gia-dinh-hoc-tap',
        ruleVersion: 'gia-dinh-hoc-tap@2025.1',
        decisionNumber: '09/QĐ-UBND',
        decisionDate: '2026-10-01',
      })
      .returning();
    expect((await revoke(away?.id as string, { reason, decisionNumber: '52/QĐ-UBND' })).statusCode).toBe(403);
    expect((await revoke('00000000-0000-4000-8000-000000000000', { reason, decisionNumber: '52/QĐ-UBND' })).statusCode).toBe(404);
  });
});
