import { registryPeople } from '@hts/db';
import { count } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let officer: string;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ registry: { maxImportBytes: 64 * 1024 } });
  officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
});
afterAll(async () => t?.close());

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function send(token: string, kind: string, file: Buffer, type = 'text/csv', fileName = 'danh-sach.csv') {
  return t.app.inject({
    method: 'POST',
    url: `/api/registry/imports?kind=${kind}&fileName=${encodeURIComponent(fileName)}`,
    headers: { ...bearer(token), 'content-type': type },
    payload: file,
  });
}
const apply = (token: string, id: string) => t.app.inject({ method: 'POST', url: `/api/registry/imports/${id}/apply`, headers: bearer(token), payload: {} });
const people = async () => Number((await t.db.select({ n: count() }).from(registryPeople))[0]?.n);

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Hộ gia đình');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('POST /api/registry/imports', () => {
  it('answers a file of bad rows with the list of them, writes nothing, and refuses to apply it (409)', async () => {
    const file = Buffer.from(
      [
        'ma_xa,ho_ten,nam_sinh,so_cccd,nhom_doi_tuong',
        '07627,Nguyễn Văn An,1980,027080000001,nong-dan',
        '12345,Trần Thị Bình,1985,,',
        '07627,Lê Văn Cường,3000,,',
        '07627,Phạm Văn Dũng,1990,027080000001,',
        '07627,Hoàng Thị Em,1992,,nghe-si',
        '07627,,1970,,',
      ].join('\n'),
    );
    const res = await send(officer, 'people', file);
    expect(res.statusCode).toBe(201);
    const report = res.json();
    expect(report.errors.map((e: { line: number; column: string; reason: string }) => [e.line, e.column, e.reason])).toEqual([
      [3, 'ma_xa', 'unknown_commune'],
      [4, 'nam_sinh', 'impossible_birth_year'],
      [5, 'so_cccd', 'duplicate_id_in_file'],
      [6, 'nhom_doi_tuong', 'unknown_target_group'],
      [7, 'ho_ten', 'missing_required'],
    ]);
    expect(await people()).toBe(0);
    const applied = await apply(officer, report.id);
    expect(applied.statusCode).toBe(409);
    expect(applied.json().details[0].field).toBe('/file/line/3/ma_xa');
    expect(await people()).toBe(0);
  });

  it('imports a clean XLSX households file once; the same file again finds nothing to change', async () => {
    const rows = [
      ['Danh sách hộ gia đình thôn Tân Lập'],
      ['Mã hộ', 'Vai trò', 'Mã xã', 'Họ và tên', 'Năm sinh', 'Giới tính', 'Số CCCD', 'Thôn'],
      ['TL-01', 'Chủ hộ', '07627', 'Nguyễn Văn Hải', '1975', 'Nam', '027075000111', 'Thôn Tân Lập'],
      ['TL-01', 'Thành viên', '07627', 'Lê Thị Hương', '1978', 'Nữ', '027178000222', 'Thôn Tân Lập'],
    ];
    const res = await send(officer, 'households', await xlsx(rows), XLSX_TYPE, 'ho-gia-dinh.xlsx');
    expect(res.statusCode).toBe(201);
    const report = res.json();
    expect(report).toMatchObject({ status: 'checked', rows: 2, errors: [], newVillages: ['Thôn Tân Lập'] });
    const applied = await apply(officer, report.id);
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ status: 'applied', changes: { people: { created: 2 }, memberships: { created: 4 } } });
    expect(await people()).toBe(2);

    const again = (await send(officer, 'households', await xlsx(rows), XLSX_TYPE, 'ho-gia-dinh.xlsx')).json();
    expect(again.changes).toEqual({
      people: { created: 0, updated: 0, unchanged: 2, ended: 0 },
      collectives: { created: 0, updated: 0, unchanged: 1, ended: 0 },
      memberships: { created: 0, updated: 0, unchanged: 4, ended: 0 },
    });
    expect((await apply(officer, again.id)).statusCode).toBe(200);
    expect(await people()).toBe(2);
  });

  it('refuses a file naming a commune outside the officer scope with 403', async () => {
    const res = await send(officer, 'people', Buffer.from('ma_xa,ho_ten,nam_sinh\n07615,Trần Văn Bình,1981\n'));
    expect(res.statusCode).toBe(403);
    expect(res.json().details).toEqual([expect.objectContaining({ field: '/body/line/2/ma_xa' })]);
    // a province-wide admin may
    expect((await send(admin, 'people', Buffer.from('ma_xa,ho_ten,nam_sinh\n07615,Trần Văn Bình,1981\n'))).statusCode).toBe(201);
  });

  it('lets only officers and admins import, and only the uploader apply', async () => {
    const citizen = (await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() })).json().accessToken;
    expect((await send(citizen, 'people', Buffer.from('ma_xa,ho_ten,nam_sinh\n'))).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/registry/imports?kind=people&fileName=a.csv', headers: { 'content-type': 'text/csv' }, payload: 'x' }))
        .statusCode,
    ).toBe(401);
    const mine = (await send(admin, 'people', Buffer.from('ma_xa,ho_ten,nam_sinh\n07627,Đinh Văn Lộc,1970\n'))).json();
    expect((await apply(officer, mine.id)).statusCode).toBe(404);
  });

  it('refuses bad input with the field at fault: unknown kind 400, too large 413, not a table 415', async () => {
    const bad = await send(officer, 'pets', Buffer.from('a'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toContain('kind');
    const big = await send(officer, 'people', Buffer.alloc(64 * 1024 + 1, 0x41));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    const xls = await send(officer, 'people', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(100)]), 'application/octet-stream');
    expect(xls.statusCode).toBe(415);
    const pdf = await t.app.inject({
      method: 'POST',
      url: '/api/registry/imports?kind=people&fileName=a.pdf',
      headers: { ...bearer(officer), 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4'),
    });
    expect(pdf.statusCode).toBe(415);
  });
});
