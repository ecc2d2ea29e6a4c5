import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';

/** One file kind per entity an officer can import into the registry. */
export const registryImportKinds = ['people', 'households', 'clans', 'units', 'khuyen_hoc'] as const;
export const RegistryImportKind = Type.Union([
  Type.Literal('people'),
  Type.Literal('households'),
  Type.Literal('clans'),
  Type.Literal('units'),
  Type.Literal('khuyen_hoc'),
]);
export type RegistryImportKind = (typeof registryImportKinds)[number];

/** Why a row was refused. The web app words each reason; `message` says it in Vietnamese for other clients. */
export const importRowReasons = [
  'missing_required',
  'unknown_commune',
  'impossible_birth_year',
  'invalid_id_number',
  'duplicate_id_in_file',
  'duplicate_id_in_registry',
  'duplicate_person_in_file',
  'invalid_phone',
  'unknown_target_group',
  'invalid_value',
  'conflicting_group',
  'too_many_heads',
  'missing_head',
] as const;
export type ImportRowReason = (typeof importRowReasons)[number];

export const ImportRowError = Type.Object({
  /** Line of the CSV file or row of the sheet, counting the header as 1. */
  line: Type.Integer({ minimum: 0 }),
  /** The column header as written in the file ('' for a problem of the whole file). */
  column: Type.String(),
  reason: Type.Union([
    Type.Literal('missing_required'),
    Type.Literal('unknown_commune'),
    Type.Literal('impossible_birth_year'),
    Type.Literal('invalid_id_number'),
    Type.Literal('duplicate_id_in_file'),
    Type.Literal('duplicate_id_in_registry'),
    Type.Literal('duplicate_person_in_file'),
    Type.Literal('invalid_phone'),
    Type.Literal('unknown_target_group'),
    Type.Literal('invalid_value'),
    Type.Literal('conflicting_group'),
    Type.Literal('too_many_heads'),
    Type.Literal('missing_head'),
  ]),
  /** The value found, when it helps (never a full ID number). */
  value: Type.Optional(Type.String()),
  message: Type.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

const ChangeCounts = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), ended: Type.Integer() });
export type ChangeCounts = Static<typeof ChangeCounts>;

export const RegistryImportReport = Type.Object({
  id: Uuid,
  kind: RegistryImportKind,
  fileName: Type.String(),
  /** 'checked': a dry run, nothing written; 'applied': written. */
  status: Type.Union([Type.Literal('checked'), Type.Literal('applied')]),
  rows: Type.Integer(),
  errors: Type.Array(ImportRowError),
  /** What applying does (checked) or did (applied): people, collectives (households, clans, units, branches) and memberships. */
  changes: Type.Object({ people: ChangeCounts, collectives: ChangeCounts, memberships: ChangeCounts }),
  /** Villages / residential groups the file names that the registry does not have yet (created on apply). */
  newVillages: Type.Array(Type.String()),
});
export type RegistryImportReport = Static<typeof RegistryImportReport>;

export const RegistryImportQuery = Type.Object(
  {
    kind: RegistryImportKind,
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type RegistryImportQuery = Static<typeof RegistryImportQuery>;

export const RegistryImportParams = Type.Object({ id: Uuid });
export type RegistryImportParams = Static<typeof RegistryImportParams>;

/** A CSV or XLSX file sent as the raw request body. */
export const ImportFileBytes = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'the CSV (UTF-8) or XLSX file' });

const personRequired = ['ma_xa', 'ho_ten', 'nam_sinh'];
const personOptional = ['gioi_tinh', 'so_cccd', 'so_dien_thoai', 'thon', 'nhom_doi_tuong'];

/**
 * The columns of each file kind as the template writes them (Vietnamese headers such as "Họ và tên" are
 * accepted too). The domain's column table is checked against this list by a test.
 */
export const registryImportTemplates: Record<RegistryImportKind, { required: string[]; optional: string[] }> = {
  people: { required: personRequired, optional: personOptional },
  households: { required: ['ma_ho', ...personRequired], optional: ['ten_ho', 'dia_chi', 'vai_tro', ...personOptional] },
  clans: { required: ['ten_dong_ho', ...personRequired], optional: ['vai_tro', ...personOptional] },
  units: { required: ['ten_don_vi', 'loai_don_vi', ...personRequired], optional: ['ma_don_vi', 'vai_tro', ...personOptional] },
  khuyen_hoc: { required: ['chi_hoi', ...personRequired], optional: ['vai_tro', 'nam_vao_hoi', 'ngay_tap_huan', ...personOptional] },
};

export const CollectiveKind = Type.Union([Type.Literal('household'), Type.Literal('clan'), Type.Literal('community'), Type.Literal('unit')]);
export type CollectiveKindName = Static<typeof CollectiveKind>;

export const CollectiveStatus = Type.Object({
  kind: CollectiveKind,
  id: Uuid,
  name: Type.String(),
  communeCode: Type.String(),
  communeName: Type.String(),
  year: Type.Integer(),
  /** `<rule code>@<version>`; null when no rule version covers the year. */
  ruleId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  members: Type.Integer(),
  passed: Type.Boolean(),
  /** The unrevoked award of this title for the year, if any. */
  award: Type.Union([Type.Object({ id: Uuid, decisionNumber: Type.String(), decisionDate: Type.String() }), Type.Null()]),
  requirements: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String(),
      passed: Type.Boolean(),
      assumption: Type.Boolean(),
      count: Type.Integer(),
      total: Type.Integer(),
      needed: Type.Integer(),
    }),
  ),
  missing: Type.Array(
    Type.Object({
      requirement: Type.String(),
      label: Type.String(),
      short: Type.Integer(),
      people: Type.Array(Type.Object({ personId: Uuid, fullName: Type.String() })),
      households: Type.Array(Type.Object({ householdId: Uuid, name: Type.String() })),
    }),
  ),
});
export type CollectiveStatus = Static<typeof CollectiveStatus>;

export const CollectiveStatusList = Type.Object({ items: Type.Array(CollectiveStatus) });
export type CollectiveStatusList = Static<typeof CollectiveStatusList>;

export const CollectiveListQuery = Type.Object(
  {
    kind: CollectiveKind,
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    communeCode: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })),
  },
  { additionalProperties: false },
);
export type CollectiveListQuery = Static<typeof CollectiveListQuery>;

export const CollectiveParams = Type.Object({ kind: CollectiveKind, id: Uuid });
export type CollectiveParams = Static<typeof CollectiveParams>;

const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' });

/** A commune officer's decision awarding one collective title to several collectives of one kind for a year. */
export const CollectiveAwardBody = Type.Object(
  {
    kind: CollectiveKind,
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    collectiveIds: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
    decisionNumber: Type.String({ minLength: 1, maxLength: 60 }),
    decisionDate: IsoDate,
  },
  { additionalProperties: false },
);
export type CollectiveAwardBody = Static<typeof CollectiveAwardBody>;

export const CollectiveAward = Type.Object({
  id: Uuid,
  kind: CollectiveKind,
  collectiveId: Uuid,
  name: Type.String(),
  year: Type.Integer(),
  title: Type.String(),
  /** `<rule code>@<version>` of the rule that held at decision time. */
  ruleVersion: Type.String(),
  decisionNumber: Type.String(),
  decisionDate: Type.String(),
  awardedAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
  revocationDecisionNumber: Type.Union([Type.String(), Type.Null()]),
  /** Its entry in the evidence hash chain (of the award, or of the revocation once revoked). */
  evidence: Type.Union([Type.Object({ seq: Type.Integer(), entryHash: Type.String() }), Type.Null()]),
});
export type CollectiveAward = Static<typeof CollectiveAward>;
export const CollectiveAwardResult = Type.Object({ awards: Type.Array(CollectiveAward) });
export type CollectiveAwardResult = Static<typeof CollectiveAwardResult>;
export const CollectiveAwardParams = Type.Object({ id: Uuid });
export type CollectiveAwardParams = Static<typeof CollectiveAwardParams>;

/** Revoking a title (a person's or a collective's): why, and the decision that revokes it. */
export const RevokeTitleBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    decisionNumber: Type.String({ minLength: 1, maxLength: 60 }),
    /** Defaults to today. */
    decisionDate: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type RevokeTitleBody = Static<typeof RevokeTitleBody>;

export const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false });
export type YearQuery = Static<typeof YearQuery>;

export const KhuyenHocTrainingRow = Type.Object({
  communeCode: Type.String(),
  communeName: Type.String(),
  branch: Type.String(),
  members: Type.Integer(),
  cadres: Type.Integer(),
  trained: Type.Integer(),
  trainedCadres: Type.Integer(),
  /** trained / members, 0..1 (0 for an empty branch). */
  rate: Type.Number(),
});
export const KhuyenHocTrainingReport = Type.Object({
  /** The course whose completion on the platform counts as training, besides a recorded training day. */
  courseSlug: Type.String(),
  totals: Type.Object({ members: Type.Integer(), trained: Type.Integer(), rate: Type.Number() }),
  items: Type.Array(KhuyenHocTrainingRow),
});
export type KhuyenHocTrainingReport = Static<typeof KhuyenHocTrainingReport>;
export const KhuyenHocTrainingQuery = Type.Object({ communeCode: Type.Optional(Type.String({ pattern: '^[0-9]{5}$' })) }, { additionalProperties: false });
export type KhuyenHocTrainingQuery = Static<typeof KhuyenHocTrainingQuery>;

export const RegistryPersonParams = Type.Object({ id: Uuid });
export type RegistryPersonParams = Static<typeof RegistryPersonParams>;
const NullableString = Type.Union([Type.String(), Type.Null()]);
/** One registry person as an officer of their commune sees them: who, where, which collectives, and their titles. */
export const RegistryPerson = Type.Object({
  id: Uuid,
  fullName: Type.String(),
  birthYear: Type.Union([Type.Integer(), Type.Null()]),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
  /** Masked: "••••••••1234"; the full number is never sent. */
  idNumber: NullableString,
  phone: NullableString,
  commune: Type.Object({ code: Type.String(), name: Type.String() }),
  village: NullableString,
  targetGroup: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  source: Type.String(),
  memberships: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('household'), Type.Literal('clan'), Type.Literal('community'), Type.Literal('unit')]),
      /** The collective, for its page (/officer/collectives). */
      id: Uuid,
      name: Type.String(),
      role: Type.Union([Type.Literal('head'), Type.Literal('member')]),
      validFrom: NullableString,
      validTo: NullableString,
      current: Type.Boolean(),
    }),
  ),
  /** The platform account linked to this person, and by which rule (phone, id_number, officer). */
  account: Type.Union([
    Type.Object({ userId: Uuid, fullName: Type.String(), linkRule: NullableString, linkedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) }),
    Type.Null(),
  ]),
  /** The latest unrevoked "Công dân học tập" title of the linked account. */
  title: Type.Union([Type.Object({ year: Type.Integer(), decisionNumber: Type.String(), decisionDate: Type.String(), awardId: Uuid }), Type.Null()]),
  /** The live "có kỹ năng số" confirmation of the linked account. */
  digitalSkill: Type.Union([
    Type.Object({ confirmationId: Uuid, source: Type.String(), confirmedAt: Type.String({ format: 'date-time' }), ruleVersion: Type.String() }),
    Type.Null(),
  ]),
  khuyenHoc: Type.Union([
    Type.Object({
      branch: Type.String(),
      role: Type.Union([Type.Literal('cadre'), Type.Literal('member')]),
      joinedYear: Type.Union([Type.Integer(), Type.Null()]),
      trainedOn: NullableString,
      /** When the linked account completed the criteria course, which counts as training too. */
      criteriaCourseCompletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    Type.Null(),
  ]),
  /** The page listing every piece of evidence behind the titles and confirmations. */
  evidencePath: Type.String(),
});
export type RegistryPerson = Static<typeof RegistryPerson>;
