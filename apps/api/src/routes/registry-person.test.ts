import { auditLog, registryPeople } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let officer: string;
let admin: string;

async function importFile(token: string, kind: string, lines: string[]): Promise<void> {
  const checked = await t.app.inject({
    method: 'POST',
    url: `/api/registry/imports?kind=${kind}&fileName=${kind}.csv`,
    headers: { ...bearer(token), 'content-type': 'text/csv' },
    payload: lines.join('\n'),
  });
  expect(checked.json().errors, checked.body).toEqual([]);
  const applied = await t.app.inject({ method: 'POST', url: `/api/registry/imports/${checked.json().id}/apply`, headers: bearer(token), payload: {} });
  expect(applied.statusCode, applied.body).toBe(200);
}
const personId = async (nameKey: string) =>
  (await t.db.select({ id: registryPeople.id }).from(registryPeople).where(eq(registryPeople.nameKey, nameKey)))[0]?.id as string;
const get = (id: string, token = officer) => t.app.inject({ method: 'GET', url: `/api/registry/people/${id}`, headers: bearer(token) });

beforeAll(async () => {
  t = await createTestApp();
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
}, 120_000);
afterAll(async () => t?.close());

describe('GET /api/registry/people/:id', () => {
  it('shows an officer the person of their commune with memberships, linked account, digital skill and Hội Khuyến học membership, and audits the read', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: newCitizen({ email: undefined, phone: '0966100200', birthYear: 1970 }),
    });
    const userId = reg.json().user.id as string;
    await importFile(officer, 'households', [
      'ma_ho,ten_ho,vai_tro,ma_xa,ho_ten,nam_sinh,gioi_tinh,so_cccd,so_dien_thoai,nhom_doi_tuong',
      'HO-77,Hộ ông Vũ Văn Khải,Chủ hộ,07627,Vũ Văn Khải,1970,Nam,001070001234,0966100200,nong-dan',
      'HO-77,Hộ ông Vũ Văn Khải,Thành viên,07627,Vũ Thị Hằng,1972,Nữ,,,',
    ]);
    await importFile(officer, 'khuyen_hoc', [
      'chi_hoi,vai_tro,nam_vao_hoi,ngay_tap_huan,ma_xa,ho_ten,nam_sinh,so_cccd',
      'Chi hội thôn Trung,Chi hội trưởng,2012,15/04/2026,07627,Vũ Văn Khải,1970,001070001234',
    ]);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/officer/digital-skill-confirmations',
      headers: bearer(officer),
      payload: { userId, note: 'Chứng chỉ Bình dân học vụ số số 77' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(201);

    const id = await personId('vu van khai');
    const res = await get(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      fullName: 'Vũ Văn Khải',
      birthYear: 1970,
      sex: 'male',
      idNumber: '••••••••1234',
      phone: '+84966100200',
      commune: { code: '07627', name: 'Đại Sơn' },
      targetGroup: { code: 'nong-dan' },
      memberships: [{ kind: 'household', name: 'Hộ ông Vũ Văn Khải', role: 'head', current: true, validTo: null }],
      account: { userId, linkRule: 'phone' },
      title: null,
      digitalSkill: { confirmationId: confirmed.json().id, source: 'officer', ruleVersion: 'ky-nang-so-co-ban@2025.1' },
      khuyenHoc: { branch: 'Chi hội thôn Trung', role: 'cadre', joinedYear: 2012, trainedOn: '2026-04-15', criteriaCourseCompletedAt: null },
      evidencePath: `/officer/indicators/evidence/registry/${id}`,
    });
    // the full ID number never leaves the server
    expect(res.body).not.toContain('001070001234');
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'personal_data.read'), eq(auditLog.subjectId, id)));
    expect(audited).toHaveLength(1);

    // a person without an account: no link, no title, no confirmation
    const spouse = await get(await personId('vu thi hang'));
    expect(spouse.json()).toMatchObject({ sex: 'female', idNumber: null, account: null, title: null, digitalSkill: null, khuyenHoc: null });
  });

  it('answers 403 for a person of another commune (audited), 404 for an unknown id and 400 for a malformed one', async () => {
    await importFile(admin, 'people', ['ma_xa,ho_ten,nam_sinh', '07615,Đinh Văn Xa,1980']);
    const away = await personId('dinh van xa');
    const denied = await get(away);
    expect(denied.statusCode).toBe(403);
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'auth.permission_denied'), eq(auditLog.subjectId, away))),
    ).toHaveLength(1);
    expect((await get(away, admin)).statusCode).toBe(200);
    expect((await get('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await get('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    const citizen = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken as string;
    expect((await get(away, citizen)).statusCode).toBe(403);
  });
});
