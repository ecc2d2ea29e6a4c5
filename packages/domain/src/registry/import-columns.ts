import type { RegistryImportKind } from '@hts/contracts';
import { slugKey } from './text-keys.ts';

export type ColumnKey =
  | 'communeCode'
  | 'fullName'
  | 'birthYear'
  | 'sex'
  | 'idNumber'
  | 'phone'
  | 'village'
  | 'targetGroup'
  | 'householdCode'
  | 'householdName'
  | 'address'
  | 'clanName'
  | 'unitName'
  | 'unitKind'
  | 'unitCode'
  | 'branch'
  | 'role'
  | 'joinedYear'
  | 'trainedOn';

export interface ColumnSpec {
  key: ColumnKey;
  /** The header the template uses. */
  header: string;
  required: boolean;
  /** Other headers accepted (compared without diacritics, case or punctuation). */
  aliases: string[];
}

const col = (key: ColumnKey, header: string, required: boolean, aliases: string[] = []): ColumnSpec => ({ key, header, required, aliases });

/** Every file kind describes people with these columns. */
const personColumns: ColumnSpec[] = [
  col('communeCode', 'ma_xa', true, ['mã xã', 'mã xã/phường', 'mã đơn vị hành chính', 'commune_code']),
  col('fullName', 'ho_ten', true, ['họ và tên', 'họ tên', 'full_name']),
  col('birthYear', 'nam_sinh', true, ['năm sinh', 'birth_year']),
  col('sex', 'gioi_tinh', false, ['giới tính', 'sex']),
  col('idNumber', 'so_cccd', false, ['số cccd', 'cccd', 'số định danh', 'số định danh cá nhân', 'id_number']),
  col('phone', 'so_dien_thoai', false, ['số điện thoại', 'điện thoại', 'sđt', 'sdt', 'phone']),
  col('village', 'thon', false, ['thôn', 'thôn/tổ dân phố', 'thôn, tổ dân phố', 'tổ dân phố', 'village']),
  col('targetGroup', 'nhom_doi_tuong', false, ['nhóm đối tượng', 'đối tượng', 'target_group']),
];

export const importColumns: Record<RegistryImportKind, ColumnSpec[]> = {
  people: personColumns,
  households: [
    col('householdCode', 'ma_ho', true, ['mã hộ', 'số hộ', 'household_code']),
    col('householdName', 'ten_ho', false, ['tên hộ', 'household_name']),
    col('address', 'dia_chi', false, ['địa chỉ', 'address']),
    col('role', 'vai_tro', false, ['vai trò', 'quan hệ với chủ hộ', 'role']),
    ...personColumns,
  ],
  clans: [col('clanName', 'ten_dong_ho', true, ['tên dòng họ', 'dòng họ', 'clan']), col('role', 'vai_tro', false, ['vai trò', 'role']), ...personColumns],
  units: [
    col('unitName', 'ten_don_vi', true, ['tên đơn vị', 'đơn vị', 'unit_name']),
    col('unitKind', 'loai_don_vi', true, ['loại đơn vị', 'loại', 'unit_kind']),
    col('unitCode', 'ma_don_vi', false, ['mã đơn vị', 'mã số thuế', 'mst', 'unit_code']),
    col('role', 'vai_tro', false, ['vai trò', 'chức vụ', 'role']),
    ...personColumns,
  ],
  khuyen_hoc: [
    col('branch', 'chi_hoi', true, ['chi hội', 'tên chi hội', 'branch']),
    col('role', 'vai_tro', false, ['vai trò', 'chức vụ', 'role']),
    col('joinedYear', 'nam_vao_hoi', false, ['năm vào hội', 'năm gia nhập', 'joined_year']),
    col('trainedOn', 'ngay_tap_huan', false, ['ngày tập huấn', 'ngày học tiêu chí', 'trained_on']),
    ...personColumns,
  ],
};

export interface ColumnMap {
  /** Column index of each known key found in the header. */
  index: Partial<Record<ColumnKey, number>>;
  /** The header as written in the file, per key (the template header when the column is missing). */
  label: Record<ColumnKey, string>;
  missing: ColumnSpec[];
}

/** Finds each expected column in the header row; unknown columns are ignored. */
export function mapColumns(kind: RegistryImportKind, headers: string[]): ColumnMap {
  const specs = importColumns[kind];
  const keyed = headers.map((h) => slugKey(h));
  const index: ColumnMap['index'] = {};
  const label = {} as Record<ColumnKey, string>;
  const missing: ColumnSpec[] = [];
  for (const spec of specs) {
    const accepted = new Set([spec.header, ...spec.aliases].map((a) => slugKey(a)));
    const at = keyed.findIndex((k) => accepted.has(k));
    label[spec.key] = at >= 0 ? (headers[at] ?? spec.header) : spec.header;
    if (at >= 0) index[spec.key] = at;
    else if (spec.required) missing.push(spec);
  }
  return { index, label, missing };
}

/** The header row of a template file for a kind, in column order. */
export const templateHeaders = (kind: RegistryImportKind) => importColumns[kind].map((c) => c.header);

/** Sheets often carry a title or a note above the header: it is looked for among the first rows. */
const HEADER_SEARCH_ROWS = 10;

/**
 * The header row of a table for a file kind: the first of its first rows that has every required column,
 * else the one that lacks the fewest (whose missing columns the caller reports), with the data rows below it.
 */
export function locateHeader<R extends { line: number; cells: string[] }>(
  kind: RegistryImportKind,
  rows: R[],
): { columns: ColumnMap; headerLine: number; dataRows: R[] } {
  let best: { columns: ColumnMap; at: number } | null = null;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i += 1) {
    const columns = mapColumns(kind, (rows[i] as R).cells);
    if (!best || columns.missing.length < best.columns.missing.length) best = { columns, at: i };
    if (columns.missing.length === 0) break;
  }
  if (!best) return { columns: mapColumns(kind, []), headerLine: 1, dataRows: [] };
  return { columns: best.columns, headerLine: (rows[best.at] as R).line, dataRows: rows.slice(best.at + 1) };
}
