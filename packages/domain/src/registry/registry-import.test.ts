import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { RegistryImportKind } from '@hts/contracts';
import {
  type Db,
  geoUnits,
  khuyenHocMembers,
  registryClans,
  registryCommunities,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
  targetGroups,
  users,
} from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { createObjectStore, type ObjectStore } from '@hts/storage';
import { count, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { IdNumberCodec } from './id-numbers.ts';
import type { RegistryDeps } from './registry-deps.ts';
import { applyRegistryImport, checkRegistryImport } from './registry-import.ts';

let db: Db;
let store: ObjectStore;
let dir: string;
let closeDb: () => Promise<void>;
let deps: RegistryDeps;
let officer: Actor;
let daiSon: string;
const codec = new IdNumberCodec('k'.repeat(40));

beforeAll(async () => {
  const handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  db = handle.db;
  closeDb = handle.close;
  dir = await mkdtemp(path.join(tmpdir(), 'hts-registry-test-'));
  store = createObjectStore({ kind: 'local', dir, publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
  await store.init();
  const [prov] = await db.insert(geoUnits).values({ code: '24', name: 'Bắc Ninh', type: 'province' }).returning();
  const communes = await db
    .insert(geoUnits)
    .values([
      { code: '07627', name: 'Đại Sơn', type: 'commune', parentId: prov?.id },
      { code: '07615', name: 'Sơn Động', type: 'commune', parentId: prov?.id },
    ])
    .returning();
  daiSon = communes[0]?.id as string;
  await db.insert(targetGroups).values([
    { code: 'nong-dan', nameVi: 'Nông dân, lao động nông thôn', nameEn: 'Farmers' },
    { code: 'cong-nhan', nameVi: 'Công nhân, người lao động', nameEn: 'Workers' },
  ]);
  const [user] = await db.insert(users).values({ fullName: 'Cán bộ xã', passwordHash: 'x', email: 'cb@example.vn' }).returning();
  officer = { userId: user?.id as string, roles: new Set(['officer']), scopes: new Map([['officer', new Set([daiSon])]]) };
  deps = { db, store, clock: { now: () => new Date('2026-11-28T10:00:00Z') }, registry: { codec, maxImportBytes: 1024 * 1024 } };
});
afterAll(async () => {
  await closeDb?.();
  await rm(dir, { recursive: true, force: true });
});

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (kind: RegistryImportKind, bytes: Buffer, fileName = 'tep.csv') => ({ kind, fileName, body: Readable.from([bytes]) });
const countOf = async (table: typeof registryPeople | typeof registryMemberships | typeof registryHouseholds) =>
  Number((await db.select({ n: count() }).from(table))[0]?.n);

// A person already in the registry, whose ID number a bad row reuses under another name.
const TAKEN_ID = '027090000001';

const badRows = [
  ['ma_xa', 'ho_ten', 'nam_sinh', 'gioi_tinh', 'so_cccd', 'so_dien_thoai', 'thon', 'nhom_doi_tuong'],
  ['07627', 'Nguyễn Văn An', '1980', 'Nam', '027080000001', '0912345678', 'Thôn Đông', 'nong-dan'], // 2: good
  ['99999', 'Trần Thị Bình', '1985', 'Nữ', '', '', '', ''], // 3: unknown commune
  ['07627', 'Lê Văn Cường', '1850', 'Nam', '', '', '', ''], // 4: impossible birth year
  ['07627', 'Phạm Văn Dũng', '1990', 'Nam', '027080000001', '', '', ''], // 5: duplicate ID in the file (line 2)
  ['07627', 'Hoàng Thị Em', '1992', 'Nữ', TAKEN_ID, '', '', ''], // 6: ID of someone else in the registry
  ['07627', '', '1970', '', '', '', '', ''], // 7: missing name
  ['07627', 'Vũ Văn Phúc', '1975', 'Nam', '', '', '', 'thợ săn'], // 8: unknown target group
  ['07627', 'Đỗ Thị Giang', '2095', 'Nữ', '12345', '12345', '', ''], // 9: birth year in the future, short ID, bad phone
];

/** The errors of badRows when its good row sits at `goodLine`. */
const expectedErrors = (goodLine: number) => [
  { line: goodLine + 1, column: 'ma_xa', reason: 'unknown_commune' },
  { line: goodLine + 2, column: 'nam_sinh', reason: 'impossible_birth_year' },
  { line: goodLine + 3, column: 'so_cccd', reason: 'duplicate_id_in_file' },
  { line: goodLine + 4, column: 'so_cccd', reason: 'duplicate_id_in_registry' },
  { line: goodLine + 5, column: 'ho_ten', reason: 'missing_required' },
  { line: goodLine + 6, column: 'nhom_doi_tuong', reason: 'unknown_target_group' },
  { line: goodLine + 7, column: 'nam_sinh', reason: 'impossible_birth_year' },
  { line: goodLine + 7, column: 'so_cccd', reason: 'invalid_id_number' },
  { line: goodLine + 7, column: 'so_dien_thoai', reason: 'invalid_phone' },
];

describe('registry import dry run', () => {
  beforeAll(async () => {
    await db.insert(registryPeople).values({
      fullName: 'Ngô Văn Khác',
      nameKey: 'ngo van khac',
      birthYear: 1960,
      communeId: daiSon,
      idNumberHash: codec.hash(TAKEN_ID),
      idNumberLast4: '0001',
      matchKey: `id:${codec.hash(TAKEN_ID)}`,
    });
  });

  it('reports every bad row of a CSV with its line, column and reason, and writes nothing', async () => {
    const peopleBefore = await countOf(registryPeople);
    const report = await checkRegistryImport(deps, officer, upload('people', csv(badRows.map((r) => r.join(','))), 'xau.csv'));
    expect(report.status).toBe('checked');
    expect(report.rows).toBe(8);
    expect(report.errors.map(({ line, column, reason }) => ({ line, column, reason }))).toEqual(expectedErrors(2));
    expect(report.errors.every((e) => e.message.length > 0)).toBe(true);
    // never a whole ID number in a report
    expect(JSON.stringify(report)).not.toContain('027080000001');
    expect(await countOf(registryPeople)).toBe(peopleBefore);
    await expect(applyRegistryImport(deps, officer, report.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await countOf(registryPeople)).toBe(peopleBefore);
  });

  it('reports the same bad rows of an XLSX sheet by their sheet row numbers', async () => {
    const sheet = [['Danh sách người dân xã Đại Sơn'], ...badRows];
    const report = await checkRegistryImport(deps, officer, upload('people', await xlsx(sheet), 'xau.xlsx'));
    expect(report.errors.map(({ line, column, reason }) => ({ line, column, reason }))).toEqual(expectedErrors(3));
  });

  it('names a required column the header lacks', async () => {
    const report = await checkRegistryImport(deps, officer, upload('households', csv(['ma_xa,ho_ten,nam_sinh', '07627,Nguyễn Văn An,1980'])));
    expect(report.errors).toEqual([expect.objectContaining({ line: 1, column: 'ma_ho', reason: 'missing_required' })]);
  });

  it('accepts Vietnamese headers, a semicolon separator and a byte-order mark', async () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(['Mã xã;Họ và tên;Năm sinh;Số CCCD', '07627;Nguyễn Thị Hoa;1990;027190000123'])]);
    const report = await checkRegistryImport(deps, officer, upload('people', file));
    expect(report.errors).toEqual([]);
    expect(report.changes.people).toEqual({ created: 1, updated: 0, unchanged: 0, ended: 0 });
  });

  it('refuses a row of a commune outside the officer scope with 403 and keeps nothing', async () => {
    const file = csv(['ma_xa,ho_ten,nam_sinh', '07627,Nguyễn Văn An,1980', '07615,Trần Văn Bình,1981']);
    const error = await checkRegistryImport(deps, officer, upload('people', file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'forbidden', details: [{ field: '/body/line/3/ma_xa' }] });
  });

  it('refuses an old .xls file and a CSV that is not UTF-8 with 415', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]);
    await expect(checkRegistryImport(deps, officer, upload('people', xls))).rejects.toMatchObject({ code: 'unsupported_media_type' });
    const latin = Buffer.from('ma_xa,ho_ten,nam_sinh\n07627,Nguy\xe9n,1980\n', 'latin1');
    await expect(checkRegistryImport(deps, officer, upload('people', latin))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });

  it('refuses a file over the size limit with 413', async () => {
    const big = Buffer.alloc(deps.registry.maxImportBytes + 1, 0x41);
    await expect(checkRegistryImport(deps, officer, upload('people', big))).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('registry import apply', () => {
  const households = [
    'ma_ho,ten_ho,dia_chi,vai_tro,ma_xa,ho_ten,nam_sinh,gioi_tinh,so_cccd,so_dien_thoai,thon,nhom_doi_tuong',
    'HO-001,,Xóm 1 thôn Tân Lập,Chủ hộ,07627,Nguyễn Văn Hải,1975,Nam,027075000111,0987654321,Thôn Tân Lập,nong-dan',
    'HO-001,,,Thành viên,07627,Lê Thị Hương,1978,Nữ,027178000222,,Thôn Tân Lập,Nông dân lao động nông thôn',
    'HO-001,,,Thành viên,07627,Nguyễn Văn Khôi,2008,Nam,,,Thôn Tân Lập,',
    'HO-002,Hộ bà Mai,,Chủ hộ,07627,Trần Thị Mai,1960,Nữ,,,Tổ dân phố 3,',
  ];

  it('writes a clean households file with members and communities, and re-importing it changes nothing', async () => {
    const first = await checkRegistryImport(deps, officer, upload('households', csv(households)));
    expect(first.errors).toEqual([]);
    expect(first.newVillages.sort()).toEqual(['Thôn Tân Lập', 'Tổ dân phố 3']);
    const applied = await applyRegistryImport(deps, officer, first.id);
    expect(applied.status).toBe('applied');
    expect(applied.changes.people.created).toBe(4);
    expect(applied.changes.collectives.created).toBe(4); // 2 households, 2 communities
    expect(applied.changes.memberships.created).toBe(8); // 4 household + 4 community memberships

    const [hai] = await db.select().from(registryPeople).where(eq(registryPeople.nameKey, 'nguyen van hai'));
    expect(hai?.idNumberHash).toBe(codec.hash('027075000111'));
    expect(hai?.idNumberLast4).toBe('0111');
    expect(codec.decrypt(hai?.idNumberCipher as string)).toBe('027075000111');
    expect(JSON.stringify(hai)).not.toContain('027075000111');
    const [ho1] = await db.select().from(registryHouseholds).where(eq(registryHouseholds.code, 'HO-001'));
    expect(ho1).toMatchObject({ name: 'Hộ Nguyễn Văn Hải', address: 'Xóm 1 thôn Tân Lập', headPersonId: hai?.id });
    const [to3] = await db.select().from(registryCommunities).where(eq(registryCommunities.name, 'Tổ dân phố 3'));
    const [to3Unit] = await db
      .select()
      .from(geoUnits)
      .where(eq(geoUnits.id, to3?.geoUnitId as string));
    expect(to3Unit).toMatchObject({ type: 'residential_group', parentId: daiSon, code: '07627-to-dan-pho-3' });

    // Applying the same import again returns what it did and writes nothing more.
    const peopleRows = await db.select({ id: registryPeople.id, updatedAt: registryPeople.updatedAt }).from(registryPeople);
    expect(await applyRegistryImport(deps, officer, first.id)).toMatchObject({ status: 'applied', changes: applied.changes });
    // The same file uploaded again: nothing to change, and applying it touches no row.
    const again = await checkRegistryImport(deps, officer, upload('households', csv(households)));
    expect(again.errors).toEqual([]);
    expect(again.newVillages).toEqual([]);
    expect(again.changes).toEqual({
      people: { created: 0, updated: 0, unchanged: 4, ended: 0 },
      collectives: { created: 0, updated: 0, unchanged: 2, ended: 0 },
      memberships: { created: 0, updated: 0, unchanged: 8, ended: 0 },
    });
    const membershipsBefore = await countOf(registryMemberships);
    await applyRegistryImport(deps, officer, again.id);
    expect(await countOf(registryMemberships)).toBe(membershipsBefore);
    expect(await db.select({ id: registryPeople.id, updatedAt: registryPeople.updatedAt }).from(registryPeople)).toEqual(peopleRows);
  });

  it('moves a person to another household and ends the memberships the file leaves out', async () => {
    const file = csv([
      'ma_ho,vai_tro,ma_xa,ho_ten,nam_sinh,so_cccd',
      'HO-002,Chủ hộ,07627,Trần Thị Mai,1960,',
      'HO-002,Thành viên,07627,Nguyễn Văn Khôi,2008,',
    ]);
    const report = await checkRegistryImport(deps, officer, upload('households', file));
    expect(report.errors).toEqual([]);
    expect(report.changes.memberships).toEqual({ created: 1, updated: 0, unchanged: 1, ended: 1 });
    await applyRegistryImport(deps, officer, report.id);
    const [khoi] = await db.select().from(registryPeople).where(eq(registryPeople.nameKey, 'nguyen van khoi'));
    const current = await db
      .select({ householdId: registryMemberships.householdId })
      .from(registryMemberships)
      .where(eq(registryMemberships.personId, khoi?.id as string));
    const [ho2] = await db.select().from(registryHouseholds).where(eq(registryHouseholds.code, 'HO-002'));
    const open = await db.select().from(registryMemberships).where(isNull(registryMemberships.validTo));
    expect(open.filter((m) => m.personId === khoi?.id && m.kind === 'household').map((m) => m.householdId)).toEqual([ho2?.id]);
    expect(current.length).toBe(3); // the ended HO-001 membership stays as history, plus HO-002 and the community
  });

  it('reports a household without a head and one with two heads', async () => {
    const file = csv([
      'ma_ho,vai_tro,ma_xa,ho_ten,nam_sinh',
      'HO-010,Thành viên,07627,Phan Văn Một,1980',
      'HO-011,Chủ hộ,07627,Phan Văn Hai,1981',
      'HO-011,Chủ hộ,07627,Phan Văn Ba,1982',
    ]);
    const report = await checkRegistryImport(deps, officer, upload('households', file));
    expect(report.errors.map(({ line, column, reason }) => ({ line, column, reason }))).toEqual([
      { line: 2, column: 'vai_tro', reason: 'missing_head' },
      { line: 4, column: 'vai_tro', reason: 'too_many_heads' },
    ]);
  });

  it('writes clans and learning units with members, matched again by name and unit code', async () => {
    const clans = csv([
      'ten_dong_ho,vai_tro,ma_xa,ho_ten,nam_sinh',
      'Họ Nguyễn Đình,Trưởng họ,07627,Nguyễn Đình Tuấn,1950',
      'Họ Nguyễn Đình,,07627,Nguyễn Đình Nam,1985',
    ]);
    const c1 = await checkRegistryImport(deps, officer, upload('clans', clans));
    expect(c1.errors).toEqual([]);
    await applyRegistryImport(deps, officer, c1.id);
    const [clan] = await db.select().from(registryClans);
    expect(clan?.name).toBe('Họ Nguyễn Đình');
    expect((await checkRegistryImport(deps, officer, upload('clans', clans))).changes.collectives).toEqual({ created: 0, updated: 0, unchanged: 1, ended: 0 });

    const units = csv([
      'ten_don_vi,loai_don_vi,ma_don_vi,vai_tro,ma_xa,ho_ten,nam_sinh,so_cccd',
      'Trường Tiểu học Đại Sơn,Trường học,2400123456,Hiệu trưởng,07627,Đào Thị Lan,1972,027172000333',
      'Trường Tiểu học Đại Sơn,Trường học,2400123456,Thành viên,07627,Bùi Văn Sơn,1988,027088000444',
      'Công ty TNHH Đại Sơn Xanh,Doanh nghiệp,,Thành viên,07627,Mai Văn Tú,1990,',
    ]);
    const u1 = await checkRegistryImport(deps, officer, upload('units', units));
    expect(u1.errors).toEqual([]);
    await applyRegistryImport(deps, officer, u1.id);
    const rows = await db.select().from(registryUnits);
    expect(rows.map((u) => [u.name, u.kind, u.code]).sort()).toEqual([
      ['Công ty TNHH Đại Sơn Xanh', 'enterprise', null],
      ['Trường Tiểu học Đại Sơn', 'school', '2400123456'],
    ]);
    const u2 = await checkRegistryImport(deps, officer, upload('units', units));
    expect(u2.changes.collectives).toEqual({ created: 0, updated: 0, unchanged: 2, ended: 0 });
    expect(u2.changes.people).toEqual({ created: 0, updated: 0, unchanged: 3, ended: 0 });
  });

  it('writes Hội Khuyến học members with their branch, role and training day, once', async () => {
    const file = await xlsx([
      ['chi_hoi', 'vai_tro', 'nam_vao_hoi', 'ngay_tap_huan', 'ma_xa', 'ho_ten', 'nam_sinh', 'so_cccd'],
      ['Chi hội thôn Tân Lập', 'Chi hội trưởng', '2015', '15/03/2026', '07627', 'Nguyễn Văn Hải', '1975', '027075000111'],
      ['Chi hội thôn Tân Lập', 'Hội viên', '2020', '', '07627', 'Lê Thị Hương', '1978', '027178000222'],
    ]);
    const report = await checkRegistryImport(deps, officer, upload('khuyen_hoc', file, 'hoi-vien.xlsx'));
    expect(report.errors).toEqual([]);
    expect(report.changes.people).toEqual({ created: 0, updated: 0, unchanged: 2, ended: 0 });
    await applyRegistryImport(deps, officer, report.id);
    const members = await db.select().from(khuyenHocMembers);
    expect(members.map((m) => [m.role, m.joinedYear, m.trainedOn]).sort()).toEqual([
      ['cadre', 2015, '2026-03-15'],
      ['member', 2020, null],
    ]);
    const again = await checkRegistryImport(deps, officer, upload('khuyen_hoc', file, 'hoi-vien.xlsx'));
    expect(again.changes.memberships).toEqual({ created: 0, updated: 0, unchanged: 2, ended: 0 });
  });
});
