import { CRITERIA_COURSE_SLUG } from '@hts/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCourseThroughApi } from '../testing/complete-course.ts';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let officer: string;
beforeAll(async () => {
  t = await createTestApp();
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
  const file = [
    'chi_hoi,vai_tro,nam_vao_hoi,ngay_tap_huan,ma_xa,ho_ten,nam_sinh',
    'Chi hội thôn Đông,Chi hội trưởng,2010,12/03/2026,07627,Nguyễn Văn Hùng,1960',
    'Chi hội thôn Đông,Hội viên,2015,,07627,Trần Thị Hoa,1970',
    'Chi hội thôn Đông,Hội viên,2018,20/05/2026,07627,Lê Văn Nam,1980',
    'Chi hội thôn Tây,Cán bộ,2012,,07627,Phạm Văn Bình,1965',
  ].join('\n');
  const checked = await t.app.inject({
    method: 'POST',
    url: '/api/registry/imports?kind=khuyen_hoc&fileName=hoi-vien.csv',
    headers: { ...bearer(officer), 'content-type': 'text/csv' },
    payload: file,
  });
  expect(checked.json().errors).toEqual([]);
  await t.app.inject({ method: 'POST', url: `/api/registry/imports/${checked.json().id}/apply`, headers: bearer(officer), payload: {} });
});
afterAll(async () => t?.close());

describe('GET /api/registry/khuyen-hoc/training', () => {
  it('gives members, cadres, trained members and the rate per commune and branch', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training', headers: bearer(officer) });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.items).toEqual([
      { communeCode: '07627', communeName: 'Đại Sơn', branch: 'Chi hội thôn Đông', members: 3, cadres: 1, trained: 2, trainedCadres: 1, rate: 2 / 3 },
      { communeCode: '07627', communeName: 'Đại Sơn', branch: 'Chi hội thôn Tây', members: 1, cadres: 1, trained: 0, trainedCadres: 0, rate: 0 },
    ]);
    expect(report.totals).toEqual({ members: 4, trained: 2, rate: 0.5 });
  });

  it('keeps other communes out of an officer scope and citizens out altogether', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training?communeCode=07615', headers: bearer(officer) })).statusCode).toBe(403);
    const branch = (await signInAs(t.app, 'branch@demo.local')).accessToken;
    expect((await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training', headers: bearer(branch) })).json().totals.members).toBe(4);
    const citizen = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken;
    expect((await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training', headers: bearer(citizen) })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training?communeCode=7', headers: bearer(officer) });
    expect(bad.statusCode).toBe(400);
  });

  it('counts a member trained once their linked account completes the seeded criteria course', async () => {
    const phone = `098${String(Date.now()).slice(-7)}`;
    const signUp = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen({ email: undefined, phone, birthYear: 1975 }) });
    const citizen = signUp.json().accessToken as string;
    const file = ['chi_hoi,vai_tro,ma_xa,ho_ten,nam_sinh,so_dien_thoai', `Chi hội thôn Nam,Hội viên,07627,Đỗ Thị Mai,1975,${phone}`].join('\n');
    const checked = await t.app.inject({
      method: 'POST',
      url: '/api/registry/imports?kind=khuyen_hoc&fileName=hoi-vien-nam.csv',
      headers: { ...bearer(officer), 'content-type': 'text/csv' },
      payload: file,
    });
    expect(checked.json().errors).toEqual([]);
    await t.app.inject({ method: 'POST', url: `/api/registry/imports/${checked.json().id}/apply`, headers: bearer(officer), payload: {} });
    const south = async () =>
      (
        (await t.app.inject({ method: 'GET', url: '/api/registry/khuyen-hoc/training', headers: bearer(officer) })).json().items as Array<{ branch: string }>
      ).find((i) => i.branch === 'Chi hội thôn Nam');
    expect(await south()).toMatchObject({ members: 1, trained: 0 });

    // the course is authored in content/courses and seeded as published, under the slug the report counts
    await completeCourseThroughApi(t.app, t.db, citizen, CRITERIA_COURSE_SLUG);
    expect(await south()).toMatchObject({ members: 1, trained: 1, rate: 1 });
  });
});
