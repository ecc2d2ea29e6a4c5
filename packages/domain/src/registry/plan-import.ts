import { randomUUID } from 'node:crypto';
import type { ChangeCounts, ImportRowError, ImportRowReason, RegistryImportKind } from '@hts/contracts';
import {
  type Db,
  geoUnits,
  khuyenHocBranches,
  khuyenHocMembers,
  type LearningUnitKind,
  registryClans,
  registryCommunities,
  registryHouseholds,
  registryMemberships,
  registryPeople,
  registryUnits,
  targetGroups,
} from '@hts/db';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Actor, coversCommune } from '../access/actor.ts';
import { normalizePhone } from '../auth/identifiers.ts';
import { DomainError } from '../shared/errors.ts';
import { ID_NUMBER_PATTERN, type IdNumberCodec, lastFour } from './id-numbers.ts';
import { type ColumnKey, locateHeader } from './import-columns.ts';
import type { Table } from './read-table.ts';
import { cleanText, nameKey, slugKey } from './text-keys.ts';

type CollectiveKind = 'household' | 'clan' | 'community' | 'unit';
type Action = 'create' | 'update' | 'unchanged';

export interface PersonValues {
  fullName: string;
  nameKey: string;
  birthYear: number;
  sex: 'male' | 'female' | null;
  idNumberHash: string | null;
  idNumberCipher: string | null;
  idNumberLast4: string | null;
  phone: string | null;
  communeId: string;
  villageId: string | null;
  targetGroupId: string | null;
  matchKey: string;
}

export interface PersonOp {
  action: Action;
  id: string;
  values: PersonValues;
}

export interface VillageOp {
  /** A village geo unit to create (null when it exists). */
  geoUnit: { id: string; code: string; name: string; type: 'village' | 'residential_group'; parentId: string } | null;
  /** Its community row to create (null when it exists). */
  community: { id: string; communeId: string; geoUnitId: string; name: string } | null;
}

export type CollectiveOp =
  | { table: 'household'; action: Action; id: string; values: typeof registryHouseholds.$inferInsert }
  | { table: 'clan'; action: Action; id: string; values: typeof registryClans.$inferInsert }
  | { table: 'unit'; action: Action; id: string; values: typeof registryUnits.$inferInsert }
  | { table: 'branch'; action: Action; id: string; values: typeof khuyenHocBranches.$inferInsert };

export type MembershipOp =
  | { action: 'create'; id: string; personId: string; kind: CollectiveKind; collectiveId: string; role: 'head' | 'member' }
  | { action: 'update'; id: string; role: 'head' | 'member' }
  | { action: 'end'; id: string }
  | { action: 'unchanged'; id: string };

export interface KhMemberOp {
  action: Action;
  id: string;
  values: typeof khuyenHocMembers.$inferInsert;
}

export interface ImportPlan {
  kind: RegistryImportKind;
  rows: number;
  errors: ImportRowError[];
  newVillages: string[];
  villages: VillageOp[];
  people: PersonOp[];
  collectives: CollectiveOp[];
  memberships: MembershipOp[];
  khMembers: KhMemberOp[];
  changes: { people: ChangeCounts; collectives: ChangeCounts; memberships: ChangeCounts };
}

export interface PlanContext {
  db: Db;
  codec: IdNumberCodec;
  actor: Actor;
  /** YYYY-MM-DD: memberships start and end on this day. */
  today: string;
  currentYear: number;
}

interface ParsedPerson {
  communeId: string;
  communeCode: string;
  fullName: string;
  nameKey: string;
  birthYear: number;
  sex: 'male' | 'female' | null;
  idNumber: string | null;
  idHash: string | null;
  phone: string | null;
  villageName: string | null;
  targetGroupId: string | null;
  /** Identity within the file and the natural key in the registry. */
  key: string;
  fallbackKey: string;
}

interface ParsedRow {
  line: number;
  cell: (key: ColumnKey) => string;
  person: ParsedPerson;
  role: 'head' | 'member';
  kh: { role: 'cadre' | 'member'; joinedYear: number | null; trainedOn: string | null };
  unitKind: LearningUnitKind | null;
  personId?: string;
  villageId?: string | null;
}

const CHUNK = 2000;

async function inChunks<T, R>(values: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...(await run(values.slice(i, i + CHUNK))));
  return out;
}

const zero = (): ChangeCounts => ({ created: 0, updated: 0, unchanged: 0, ended: 0 });
const countOf = (action: Action | 'end') => (action === 'create' ? 'created' : action === 'update' ? 'updated' : action === 'end' ? 'ended' : 'unchanged');

const SEX: Record<string, 'male' | 'female'> = { nam: 'male', male: 'male', m: 'male', nu: 'female', female: 'female', f: 'female' };
const HEAD = new Set([
  'chu ho',
  'chu-ho',
  'head',
  'truong ho',
  'truong toc',
  'thu truong',
  'truong',
  'giam doc',
  'hieu truong',
  'chi huy truong',
  'truong don vi',
]);
const MEMBER = new Set(['', 'thanh vien', 'member', 'hoi vien']);
const CADRE = new Set(['can bo', 'cadre', 'chi hoi truong', 'chi hoi pho', 'uy vien', 'ban chap hanh', 'can bo chi hoi']);
const UNIT_KIND: Record<string, LearningUnitKind> = {
  'co quan': 'agency',
  agency: 'agency',
  'doanh nghiep': 'enterprise',
  enterprise: 'enterprise',
  'truong hoc': 'school',
  truong: 'school',
  school: 'school',
  'luc luong vu trang': 'armed_forces',
  llvt: 'armed_forces',
  armed_forces: 'armed_forces',
  'don vi luc luong vu trang': 'armed_forces',
};

/** Vietnamese: the registry import is read by commune officers. */
const reasonText: Record<ImportRowReason, string> = {
  missing_required: 'Thiếu thông tin bắt buộc',
  unknown_commune: 'Mã xã/phường không có trong danh mục',
  impossible_birth_year: 'Năm sinh không hợp lệ',
  invalid_id_number: 'Số CCCD phải có đúng 12 chữ số',
  duplicate_id_in_file: 'Số CCCD bị trùng với một dòng khác trong tệp',
  duplicate_id_in_registry: 'Số CCCD đã có trong sổ cho một người khác',
  duplicate_person_in_file: 'Người này xuất hiện hai lần trong tệp',
  invalid_phone: 'Số điện thoại không đúng dạng số di động Việt Nam',
  unknown_target_group: 'Nhóm đối tượng không có trong danh mục',
  invalid_value: 'Giá trị không hợp lệ',
  conflicting_group: 'Thông tin không khớp với các dòng khác hoặc với sổ',
  too_many_heads: 'Có nhiều hơn một người đứng đầu',
  missing_head: 'Chưa có người đứng đầu (chủ hộ)',
};

/**
 * Checks a table against the registry and works out what applying it would change, without writing
 * anything. Every problem is reported (line, column, reason); callers write only a plan with no errors.
 * Throws 403 when a row names a commune outside the officer's scope.
 */
export async function planImport(ctx: PlanContext, kind: RegistryImportKind, table: Table): Promise<ImportPlan> {
  const { db } = ctx;
  const errors: ImportRowError[] = [];
  const { columns, headerLine, dataRows } = locateHeader(kind, table.rows);
  const plan: ImportPlan = {
    kind,
    rows: dataRows.length,
    errors,
    newVillages: [],
    villages: [],
    people: [],
    collectives: [],
    memberships: [],
    khMembers: [],
    changes: { people: zero(), collectives: zero(), memberships: zero() },
  };
  if (columns.missing.length > 0) {
    for (const spec of columns.missing) {
      errors.push({ line: headerLine, column: spec.header, reason: 'missing_required', message: `Tệp thiếu cột "${spec.header}"` });
    }
    return plan;
  }
  const bad = new Set<number>();
  const report = (line: number, key: ColumnKey | '', reason: ImportRowReason, value?: string, detail?: string) => {
    bad.add(line);
    errors.push({
      line,
      column: key === '' ? '' : columns.label[key],
      reason,
      ...(value !== undefined && value !== '' ? { value } : {}),
      message: detail ? `${reasonText[reason]}: ${detail}` : reasonText[reason],
    });
  };

  const communes = new Map(
    (
      await db
        .select({ id: geoUnits.id, code: geoUnits.code })
        .from(geoUnits)
        .where(inArray(geoUnits.type, ['commune', 'ward']))
    ).map((c) => [c.code, c.id]),
  );
  const groups = await db.select({ id: targetGroups.id, code: targetGroups.code, nameVi: targetGroups.nameVi }).from(targetGroups);
  const groupByKey = new Map<string, string>();
  for (const g of groups) {
    groupByKey.set(slugKey(g.code), g.id);
    groupByKey.set(slugKey(g.nameVi), g.id);
  }

  // 1. Each row on its own.
  const parsed: ParsedRow[] = [];
  const outOfScope: number[] = [];
  for (const row of dataRows) {
    const cell = (key: ColumnKey) => {
      const at = columns.index[key];
      return at === undefined ? '' : cleanText(row.cells[at] ?? '');
    };
    const line = row.line;
    for (const key of ['communeCode', 'fullName', 'birthYear'] as const) if (cell(key) === '') report(line, key, 'missing_required');

    const communeCode = cell('communeCode');
    const communeId = communes.get(communeCode.padStart(5, '0'));
    if (communeCode !== '' && !communeId) report(line, 'communeCode', 'unknown_commune', communeCode);
    if (communeId && !ctx.actor.roles.has('admin') && !coversCommune(ctx.actor, ['officer'], communeId)) outOfScope.push(line);

    const fullName = cell('fullName');
    if (fullName !== '' && (fullName.length < 2 || fullName.length > 100)) report(line, 'fullName', 'invalid_value', fullName, 'họ tên dài từ 2 đến 100 ký tự');

    const yearText = cell('birthYear');
    const birthYear = /^[0-9]{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
    if (yearText !== '' && !(birthYear >= 1900 && birthYear <= ctx.currentYear)) {
      report(line, 'birthYear', 'impossible_birth_year', yearText, `phải là năm từ 1900 đến ${ctx.currentYear}`);
    }

    const sexText = nameKey(cell('sex'));
    const sex = sexText === '' ? null : (SEX[sexText] ?? null);
    if (sexText !== '' && !sex) report(line, 'sex', 'invalid_value', cell('sex'), 'ghi "Nam" hoặc "Nữ"');

    const idText = cell('idNumber').replace(/[\s.]/g, '');
    let idNumber: string | null = null;
    if (idText !== '') {
      if (ID_NUMBER_PATTERN.test(idText)) idNumber = idText;
      else {
        const hint = /^[0-9]{9,11}$/.test(idText) ? 'có thể Excel đã bỏ số 0 ở đầu; hãy định dạng cột là Văn bản (Text)' : undefined;
        report(line, 'idNumber', 'invalid_id_number', `…${idText.slice(-4)}`, hint);
      }
    }

    const phoneText = cell('phone');
    const phone = phoneText === '' ? null : normalizePhone(phoneText.length === 9 && /^[35789]/.test(phoneText) ? `0${phoneText}` : phoneText);
    if (phoneText !== '' && !phone) report(line, 'phone', 'invalid_phone', phoneText);

    const groupText = cell('targetGroup');
    const targetGroupId = groupText === '' ? null : (groupByKey.get(slugKey(groupText)) ?? null);
    if (groupText !== '' && !targetGroupId) report(line, 'targetGroup', 'unknown_target_group', groupText);

    const roleText = nameKey(cell('role'));
    let role: 'head' | 'member' = 'member';
    let khRole: 'cadre' | 'member' = 'member';
    if (kind === 'khuyen_hoc') {
      if (CADRE.has(roleText)) khRole = 'cadre';
      else if (!MEMBER.has(roleText)) report(line, 'role', 'invalid_value', cell('role'), 'ghi "Cán bộ" hoặc "Hội viên"');
    } else if (kind !== 'people') {
      if (HEAD.has(roleText)) role = 'head';
      else if (!MEMBER.has(roleText)) report(line, 'role', 'invalid_value', cell('role'), 'ghi "Chủ hộ" / "Trưởng" hoặc "Thành viên"');
    }

    let unitKind: LearningUnitKind | null = null;
    if (kind === 'units' && cell('unitKind') !== '') {
      unitKind = UNIT_KIND[nameKey(cell('unitKind'))] ?? null;
      if (!unitKind) report(line, 'unitKind', 'invalid_value', cell('unitKind'), 'cơ quan, doanh nghiệp, trường học hoặc lực lượng vũ trang');
    }
    const requiredGroup: ColumnKey | null =
      kind === 'households' ? 'householdCode' : kind === 'clans' ? 'clanName' : kind === 'units' ? 'unitName' : kind === 'khuyen_hoc' ? 'branch' : null;
    if (requiredGroup && cell(requiredGroup) === '') report(line, requiredGroup, 'missing_required');
    if (kind === 'units' && cell('unitKind') === '') report(line, 'unitKind', 'missing_required');

    let joinedYear: number | null = null;
    let trainedOn: string | null = null;
    if (kind === 'khuyen_hoc') {
      const j = cell('joinedYear');
      if (j !== '') {
        joinedYear = /^[0-9]{4}$/.test(j) ? Number(j) : Number.NaN;
        if (!(joinedYear >= 1996 && joinedYear <= ctx.currentYear)) report(line, 'joinedYear', 'invalid_value', j, `năm từ 1996 đến ${ctx.currentYear}`);
      }
      const t = cell('trainedOn');
      if (t !== '') {
        trainedOn = parseDay(t);
        if (!trainedOn || trainedOn > ctx.today) report(line, 'trainedOn', 'invalid_value', t, 'ngày dạng dd/mm/yyyy, không ở tương lai');
      }
    }

    if (bad.has(line) || !communeId) continue;
    const key = nameKey(fullName);
    const fallbackKey = `p:${communeCode.padStart(5, '0')}:${key}:${birthYear}`;
    const idHash = idNumber ? ctx.codec.hash(idNumber) : null;
    parsed.push({
      line,
      cell,
      role,
      kh: { role: khRole, joinedYear, trainedOn },
      unitKind,
      person: {
        communeId,
        communeCode: communeCode.padStart(5, '0'),
        fullName,
        nameKey: key,
        birthYear,
        sex,
        idNumber,
        idHash,
        phone,
        villageName: cell('village') || null,
        targetGroupId,
        key: idHash ? `id:${idHash}` : fallbackKey,
        fallbackKey,
      },
    });
  }
  if (outOfScope.length > 0) {
    throw new DomainError(
      'forbidden',
      `rows name a commune outside your scope (lines ${outOfScope.slice(0, 10).join(', ')}${outOfScope.length > 10 ? ', …' : ''})`,
      outOfScope.slice(0, 20).map((line) => ({ field: `/body/line/${line}/${columns.label.communeCode}`, message: 'this commune is outside your scope' })),
    );
  }

  // 2. The same person twice in the file.
  const seen = new Map<string, number>();
  const rows: ParsedRow[] = [];
  for (const r of parsed) {
    const first = seen.get(r.person.key);
    if (first !== undefined) {
      report(
        r.line,
        r.person.idHash ? 'idNumber' : 'fullName',
        r.person.idHash ? 'duplicate_id_in_file' : 'duplicate_person_in_file',
        r.person.idHash ? `…${r.person.idNumber?.slice(-4)}` : r.person.fullName,
        `trùng với dòng ${first}${r.person.idHash ? '' : ' (cùng họ tên, năm sinh và xã; thêm số CCCD để phân biệt)'}`,
      );
      continue;
    }
    seen.set(r.person.key, r.line);
    rows.push(r);
  }

  // 3. Villages (thôn / tổ dân phố) named in the file, and their communities.
  const villageCodes = new Map<string, { name: string; communeId: string }>();
  const villageCodeOf = (p: ParsedPerson) => (p.villageName ? `${p.communeCode}-${slugKey(p.villageName)}` : null);
  for (const r of rows) {
    const code = villageCodeOf(r.person);
    if (code && !villageCodes.has(code)) villageCodes.set(code, { name: r.person.villageName as string, communeId: r.person.communeId });
  }
  const villageIds = new Map<string, { geoUnitId: string; communityId: string }>();
  if (villageCodes.size > 0) {
    const existing = await inChunks([...villageCodes.keys()], (chunk) =>
      db
        .select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name, communityId: registryCommunities.id })
        .from(geoUnits)
        .leftJoin(registryCommunities, eq(registryCommunities.geoUnitId, geoUnits.id))
        .where(inArray(geoUnits.code, chunk)),
    );
    const byCode = new Map(existing.map((e) => [e.code, e]));
    for (const [code, v] of villageCodes) {
      const found = byCode.get(code);
      const geoUnitId = found?.id ?? randomUUID();
      const communityId = found?.communityId ?? randomUUID();
      villageIds.set(code, { geoUnitId, communityId });
      if (!found) plan.newVillages.push(v.name);
      if (!found?.communityId) {
        plan.villages.push({
          geoUnit: found
            ? null
            : { id: geoUnitId, code, name: v.name, type: nameKey(v.name).startsWith('to ') ? 'residential_group' : 'village', parentId: v.communeId },
          community: { id: communityId, communeId: v.communeId, geoUnitId, name: found?.name ?? v.name },
        });
      }
    }
  }

  // 4. People: matched by ID number, else by commune + name + birth year.
  const hashes = rows.flatMap((r) => (r.person.idHash ? [r.person.idHash] : []));
  const fallbackKeys = rows.map((r) => r.person.fallbackKey);
  const personCols = {
    id: registryPeople.id,
    fullName: registryPeople.fullName,
    nameKey: registryPeople.nameKey,
    birthYear: registryPeople.birthYear,
    sex: registryPeople.sex,
    idNumberHash: registryPeople.idNumberHash,
    idNumberCipher: registryPeople.idNumberCipher,
    idNumberLast4: registryPeople.idNumberLast4,
    phone: registryPeople.phone,
    communeId: registryPeople.communeId,
    villageId: registryPeople.villageId,
    targetGroupId: registryPeople.targetGroupId,
    matchKey: registryPeople.matchKey,
  };
  const byHash = new Map(
    (await inChunks(hashes, (chunk) => db.select(personCols).from(registryPeople).where(inArray(registryPeople.idNumberHash, chunk)))).map((p) => [
      p.idNumberHash as string,
      p,
    ]),
  );
  const byKey = new Map(
    (await inChunks(fallbackKeys, (chunk) => db.select(personCols).from(registryPeople).where(inArray(registryPeople.matchKey, chunk)))).map((p) => [
      p.matchKey,
      p,
    ]),
  );
  const personRows: ParsedRow[] = [];
  for (const r of rows) {
    const p = r.person;
    const code = villageCodeOf(p);
    let existing = p.idHash ? byHash.get(p.idHash) : undefined;
    if (existing) {
      const sameName = existing.nameKey === p.nameKey;
      const sameYear = existing.birthYear === null || existing.birthYear === p.birthYear;
      if (!sameName || !sameYear) {
        report(
          r.line,
          'idNumber',
          'duplicate_id_in_registry',
          `…${p.idNumber?.slice(-4)}`,
          `sổ ghi số này cho ${existing.fullName} (${existing.birthYear ?? '?'})`,
        );
        continue;
      }
      if (existing.communeId !== p.communeId && !ctx.actor.roles.has('admin') && !coversCommune(ctx.actor, ['officer'], existing.communeId)) {
        report(r.line, 'idNumber', 'duplicate_id_in_registry', `…${p.idNumber?.slice(-4)}`, 'người này đang ở trong sổ của một xã ngoài phạm vi của bạn');
        continue;
      }
    } else {
      existing = byKey.get(p.fallbackKey);
    }
    const villageId = code ? (villageIds.get(code)?.geoUnitId ?? null) : (existing?.villageId ?? null);
    const values: PersonValues = {
      fullName: p.fullName,
      nameKey: p.nameKey,
      birthYear: p.birthYear,
      sex: p.sex ?? existing?.sex ?? null,
      idNumberHash: p.idHash ?? existing?.idNumberHash ?? null,
      idNumberCipher: p.idNumber ? (existing?.idNumberHash === p.idHash ? (existing?.idNumberCipher ?? null) : null) : (existing?.idNumberCipher ?? null),
      idNumberLast4: p.idNumber ? lastFour(p.idNumber) : (existing?.idNumberLast4 ?? null),
      phone: p.phone ?? existing?.phone ?? null,
      communeId: p.communeId,
      villageId,
      targetGroupId: p.targetGroupId ?? existing?.targetGroupId ?? null,
      matchKey: p.idHash ? `id:${p.idHash}` : (existing?.matchKey ?? p.fallbackKey),
    };
    // A ciphertext is random: make one only when the stored number is new or different.
    if (p.idNumber && !values.idNumberCipher) values.idNumberCipher = ctx.codec.encrypt(p.idNumber);
    let action: Action = 'create';
    if (existing) {
      const changed = (Object.keys(values) as Array<keyof PersonValues>).some((k) => k !== 'idNumberCipher' && values[k] !== existing[k]);
      action = changed ? 'update' : 'unchanged';
    }
    const id = existing?.id ?? randomUUID();
    plan.people.push({ action, id, values });
    r.personId = id;
    r.villageId = code ? (villageIds.get(code)?.geoUnitId ?? null) : null;
    personRows.push(r);
  }

  // 5. Current memberships of these people (communities, and households for the one-household rule).
  const existingPersonIds = plan.people.filter((p) => p.action !== 'create').map((p) => p.id);
  const currentOfPeople = await inChunks(existingPersonIds, (chunk) =>
    db
      .select({
        id: registryMemberships.id,
        personId: registryMemberships.personId,
        kind: registryMemberships.kind,
        householdId: registryMemberships.householdId,
        communityId: registryMemberships.communityId,
      })
      .from(registryMemberships)
      .where(and(inArray(registryMemberships.personId, chunk), isNull(registryMemberships.validTo))),
  );
  const ending = new Set<string>();
  const end = (membershipId: string) => {
    if (ending.has(membershipId)) return;
    ending.add(membershipId);
    plan.memberships.push({ action: 'end', id: membershipId });
  };
  for (const r of personRows) {
    const code = villageCodeOf(r.person);
    if (!code || !r.personId) continue;
    const communityId = villageIds.get(code)?.communityId as string;
    const current = currentOfPeople.filter((m) => m.personId === r.personId && m.kind === 'community');
    const same = current.find((m) => m.communityId === communityId);
    if (same) plan.memberships.push({ action: 'unchanged', id: same.id });
    else plan.memberships.push({ action: 'create', id: randomUUID(), personId: r.personId, kind: 'community', collectiveId: communityId, role: 'member' });
    for (const m of current) if (m.communityId !== communityId) end(m.id);
  }

  // 6. The collectives of the file kind and their members.
  if (kind === 'households') await planHouseholds(ctx, plan, personRows, report, currentOfPeople, end);
  if (kind === 'clans') await planClans(ctx, plan, personRows, report, end);
  if (kind === 'units') await planUnits(ctx, plan, personRows, report, end);
  if (kind === 'khuyen_hoc') await planKhuyenHoc(ctx, plan, personRows);

  for (const p of plan.people) plan.changes.people[countOf(p.action)] += 1;
  for (const c of plan.collectives) plan.changes.collectives[countOf(c.action)] += 1;
  plan.changes.collectives.created += plan.villages.filter((v) => v.community).length;
  for (const m of plan.memberships) plan.changes.memberships[countOf(m.action)] += 1;
  for (const m of plan.khMembers) plan.changes.memberships[countOf(m.action)] += 1;
  errors.sort((a, b) => a.line - b.line);
  return plan;
}

type Report = (line: number, key: ColumnKey | '', reason: ImportRowReason, value?: string, detail?: string) => void;

/** Groups rows by a key, in file order. */
function groupRows(rows: ParsedRow[], keyOf: (r: ParsedRow) => string): Map<string, ParsedRow[]> {
  const groups = new Map<string, ParsedRow[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** The one value the rows of a group give for a column; a later row saying otherwise is reported. */
function agreed(rows: ParsedRow[], key: ColumnKey, report: Report, compare: (v: string) => string = (v) => v): string | null {
  let value: string | null = null;
  for (const r of rows) {
    const v = r.cell(key);
    if (v === '') continue;
    if (value === null) value = v;
    else if (compare(v) !== compare(value)) report(r.line, key, 'conflicting_group', v, `các dòng trước ghi "${value}"`);
  }
  return value;
}

function heads(rows: ParsedRow[], report: Report, required: boolean): ParsedRow | null {
  const found = rows.filter((r) => r.role === 'head');
  for (const extra of found.slice(1)) report(extra.line, 'role', 'too_many_heads', extra.cell('role'), `dòng ${found[0]?.line} đã là người đứng đầu`);
  const first = rows[0];
  if (required && found.length === 0 && first) report(first.line, 'role', 'missing_head', undefined, 'ghi "Chủ hộ" ở cột vai trò cho một người');
  return found[0] ?? null;
}

/** Members: create or update the current membership of each row; current members the file leaves out are ended. */
async function planMembers(
  ctx: PlanContext,
  plan: ImportPlan,
  kind: 'household' | 'clan' | 'unit',
  collectiveId: string,
  isNew: boolean,
  rows: ParsedRow[],
  end: (id: string) => void,
): Promise<void> {
  const column = kind === 'household' ? registryMemberships.householdId : kind === 'clan' ? registryMemberships.clanId : registryMemberships.unitId;
  const current = isNew
    ? []
    : await ctx.db
        .select({ id: registryMemberships.id, personId: registryMemberships.personId, role: registryMemberships.role })
        .from(registryMemberships)
        .where(and(eq(column, collectiveId), isNull(registryMemberships.validTo)));
  const inFile = new Set<string>();
  for (const r of rows) {
    const personId = r.personId as string;
    inFile.add(personId);
    const m = current.find((c) => c.personId === personId);
    if (!m) plan.memberships.push({ action: 'create', id: randomUUID(), personId, kind, collectiveId, role: r.role });
    else if (m.role !== r.role) plan.memberships.push({ action: 'update', id: m.id, role: r.role });
    else plan.memberships.push({ action: 'unchanged', id: m.id });
  }
  for (const m of current) if (!inFile.has(m.personId)) end(m.id);
}

async function planHouseholds(
  ctx: PlanContext,
  plan: ImportPlan,
  rows: ParsedRow[],
  report: Report,
  currentOfPeople: Array<{ id: string; personId: string; kind: string; householdId: string | null }>,
  end: (id: string) => void,
): Promise<void> {
  const groups = groupRows(rows, (r) => `${r.person.communeId}|${r.cell('householdCode')}`);
  const codes = [...new Set(rows.map((r) => r.cell('householdCode')))];
  const existing = await inChunks(codes, (chunk) => ctx.db.select().from(registryHouseholds).where(inArray(registryHouseholds.code, chunk)));
  const headIds = rows.filter((r) => r.role === 'head').map((r) => r.personId as string);
  const headedElsewhere = await inChunks(headIds, (chunk) =>
    ctx.db
      .select({ id: registryHouseholds.id, code: registryHouseholds.code, headPersonId: registryHouseholds.headPersonId })
      .from(registryHouseholds)
      .where(inArray(registryHouseholds.headPersonId, chunk)),
  );
  for (const [, members] of groups) {
    const first = members[0] as ParsedRow;
    const code = first.cell('householdCode');
    const before = plan.errors.length;
    const name = agreed(members, 'householdName', report);
    const address = agreed(members, 'address', report);
    const head = heads(members, report, true);
    const found = existing.find((h) => h.communeId === first.person.communeId && h.code === code);
    const id = found?.id ?? randomUUID();
    if (head) {
      const other = headedElsewhere.find((h) => h.headPersonId === head.personId && h.id !== id);
      if (other) report(head.line, 'role', 'conflicting_group', head.cell('role'), `người này đang là chủ hộ ${other.code ?? ''}`.trim());
    }
    if (plan.errors.length > before) continue;
    const villageId = head?.villageId ?? members.find((m) => m.villageId)?.villageId ?? found?.villageId ?? null;
    const values = {
      communeId: first.person.communeId,
      villageId,
      code,
      name: name ?? found?.name ?? `Hộ ${head?.person.fullName ?? first.person.fullName}`,
      address: address ?? found?.address ?? null,
      headPersonId: head?.personId ?? found?.headPersonId ?? null,
    };
    const changed = found ? (Object.keys(values) as Array<keyof typeof values>).some((k) => values[k] !== found[k]) : true;
    plan.collectives.push({ table: 'household', action: !found ? 'create' : changed ? 'update' : 'unchanged', id, values });
    await planMembers(ctx, plan, 'household', id, !found, members, end);
    // One household at a time: a person listed here leaves the household they were in before.
    for (const r of members) {
      for (const m of currentOfPeople) if (m.personId === r.personId && m.kind === 'household' && m.householdId !== id) end(m.id);
    }
  }
}

async function planClans(ctx: PlanContext, plan: ImportPlan, rows: ParsedRow[], report: Report, end: (id: string) => void): Promise<void> {
  const groups = groupRows(rows, (r) => `${r.person.communeId}|${nameKey(r.cell('clanName'))}`);
  const keys = [...new Set(rows.map((r) => nameKey(r.cell('clanName'))))];
  const existing = await inChunks(keys, (chunk) => ctx.db.select().from(registryClans).where(inArray(registryClans.nameKey, chunk)));
  for (const [, members] of groups) {
    const first = members[0] as ParsedRow;
    const before = plan.errors.length;
    const head = heads(members, report, false);
    if (plan.errors.length > before) continue;
    const key = nameKey(first.cell('clanName'));
    const found = existing.find((c) => c.communeId === first.person.communeId && c.nameKey === key);
    const id = found?.id ?? randomUUID();
    const values = {
      communeId: first.person.communeId,
      name: first.cell('clanName'),
      nameKey: key,
      headPersonId: head?.personId ?? found?.headPersonId ?? null,
    };
    const changed = found ? values.name !== found.name || values.headPersonId !== found.headPersonId : true;
    plan.collectives.push({ table: 'clan', action: !found ? 'create' : changed ? 'update' : 'unchanged', id, values });
    await planMembers(ctx, plan, 'clan', id, !found, members, end);
  }
}

async function planUnits(ctx: PlanContext, plan: ImportPlan, rows: ParsedRow[], report: Report, end: (id: string) => void): Promise<void> {
  const groups = groupRows(rows, (r) => `${r.person.communeId}|${nameKey(r.cell('unitName'))}`);
  const keys = [...new Set(rows.map((r) => nameKey(r.cell('unitName'))))];
  const codes = [...new Set(rows.map((r) => r.cell('unitCode')).filter((c) => c !== ''))];
  const byName = await inChunks(keys, (chunk) => ctx.db.select().from(registryUnits).where(inArray(registryUnits.nameKey, chunk)));
  const byCode = await inChunks(codes, (chunk) => ctx.db.select().from(registryUnits).where(inArray(registryUnits.code, chunk)));
  const codesInFile = new Map<string, number>();
  for (const [, members] of groups) {
    const first = members[0] as ParsedRow;
    const before = plan.errors.length;
    const code = agreed(members, 'unitCode', report);
    const kindText = agreed(members, 'unitKind', report, (v) => UNIT_KIND[nameKey(v)] ?? v);
    const head = heads(members, report, false);
    const key = nameKey(first.cell('unitName'));
    const named = byName.find((u) => u.communeId === first.person.communeId && u.nameKey === key);
    const coded = code ? byCode.find((u) => u.code === code) : undefined;
    if (code) {
      const other = codesInFile.get(code);
      if (other !== undefined) report(first.line, 'unitCode', 'conflicting_group', code, `dòng ${other} dùng mã này cho đơn vị khác`);
      codesInFile.set(code, first.line);
    }
    if (named && coded && named.id !== coded.id) report(first.line, 'unitCode', 'conflicting_group', code ?? '', `sổ đã có mã này cho "${coded.name}"`);
    if (coded && !named && coded.communeId !== first.person.communeId) {
      report(first.line, 'unitCode', 'conflicting_group', code ?? '', `sổ đã có mã này cho "${coded.name}" ở xã khác`);
    }
    if (plan.errors.length > before) continue;
    const found = named ?? coded;
    const id = found?.id ?? randomUUID();
    const values = {
      kind: UNIT_KIND[nameKey(kindText ?? '')] as LearningUnitKind,
      communeId: first.person.communeId,
      name: first.cell('unitName'),
      nameKey: key,
      code: code ?? found?.code ?? null,
      headPersonId: head?.personId ?? found?.headPersonId ?? null,
    };
    const changed = found ? (Object.keys(values) as Array<keyof typeof values>).some((k) => values[k] !== found[k]) : true;
    plan.collectives.push({ table: 'unit', action: !found ? 'create' : changed ? 'update' : 'unchanged', id, values });
    await planMembers(ctx, plan, 'unit', id, !found, members, end);
  }
}

async function planKhuyenHoc(ctx: PlanContext, plan: ImportPlan, rows: ParsedRow[]): Promise<void> {
  const groups = groupRows(rows, (r) => `${r.person.communeId}|${nameKey(r.cell('branch'))}`);
  const keys = [...new Set(rows.map((r) => nameKey(r.cell('branch'))))];
  const branches = await inChunks(keys, (chunk) => ctx.db.select().from(khuyenHocBranches).where(inArray(khuyenHocBranches.nameKey, chunk)));
  const personIds = rows.map((r) => r.personId as string);
  const members = new Map(
    (await inChunks(personIds, (chunk) => ctx.db.select().from(khuyenHocMembers).where(inArray(khuyenHocMembers.personId, chunk)))).map((m) => [m.personId, m]),
  );
  for (const [, list] of groups) {
    const first = list[0] as ParsedRow;
    const key = nameKey(first.cell('branch'));
    const found = branches.find((b) => b.communeId === first.person.communeId && b.nameKey === key);
    const branchId = found?.id ?? randomUUID();
    plan.collectives.push({
      table: 'branch',
      action: found ? 'unchanged' : 'create',
      id: branchId,
      values: { communeId: first.person.communeId, name: first.cell('branch'), nameKey: key },
    });
    for (const r of list) {
      const personId = r.personId as string;
      const m = members.get(personId);
      const values = {
        personId,
        branchId,
        communeId: r.person.communeId,
        role: r.kh.role,
        joinedYear: r.kh.joinedYear ?? m?.joinedYear ?? null,
        trainedOn: r.kh.trainedOn ?? m?.trainedOn ?? null,
      };
      const changed = m ? (Object.keys(values) as Array<keyof typeof values>).some((k) => values[k] !== m[k]) : true;
      plan.khMembers.push({ action: !m ? 'create' : changed ? 'update' : 'unchanged', id: m?.id ?? randomUUID(), values });
    }
  }
}

/** dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd to yyyy-mm-dd; null when it is not a real day. */
export function parseDay(text: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  const iso = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(text);
  const vn = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/.exec(text);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (vn) [d, m, y] = [Number(vn[1]), Number(vn[2]), Number(vn[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}
