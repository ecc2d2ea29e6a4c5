import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { geoUnits } from './geo.ts';
import { targetGroups } from './target-groups.ts';
import { users } from './users.ts';

/**
 * The programme's registry: residents known to the commune (with or without a platform account), the
 * collectives they belong to (hộ gia đình, dòng họ, thôn / tổ dân phố, đơn vị học tập), Hội Khuyến học
 * membership, and the collective titles awarded to those collectives. Every row sits under a commune
 * (`communeId`, a geo unit of type commune or ward) so officer scope checks and indicator rollups can
 * filter by it without joins.
 */

export const registrySex = pgEnum('registry_sex', ['male', 'female']);
export const registrySource = pgEnum('registry_source', ['import', 'officer', 'registration']);
export const learningUnitKind = pgEnum('learning_unit_kind', ['agency', 'enterprise', 'school', 'armed_forces']);
export const collectiveKind = pgEnum('collective_kind', ['household', 'clan', 'community', 'unit']);
export const membershipRole = pgEnum('membership_role', ['head', 'member']);
export const khuyenHocRole = pgEnum('khuyen_hoc_role', ['cadre', 'member']);
export const registryImportKind = pgEnum('registry_import_kind', ['people', 'households', 'clans', 'units', 'khuyen_hoc']);
export const registryImportStatus = pgEnum('registry_import_status', ['checked', 'applied']);

/**
 * A resident known to the programme. The CCCD (12 digits) is never stored in clear: `idNumberHash` is a keyed
 * HMAC-SHA256 (unique, used to match), `idNumberCipher` an AES-256-GCM ciphertext (to show it to those
 * allowed), `idNumberLast4` what a screen shows (masked). `matchKey` is the natural key imports upsert on:
 * `id:<hash>` when the ID number is known, else `p:<commune code>:<name key>:<birth year>:<phone or ->`.
 */
export const registryPeople = pgTable(
  'registry_people',
  {
    id: id(),
    fullName: text().notNull(),
    /** Lower-case, without diacritics, single spaces: for matching and search. */
    nameKey: text().notNull(),
    birthYear: integer(),
    sex: registrySex(),
    idNumberHash: text(),
    idNumberCipher: text(),
    idNumberLast4: text(),
    /** Stored as +84xxxxxxxxx, like users.phone. */
    phone: text(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    /** Thôn / tổ dân phố: a geo unit of type village or residential_group under the commune. */
    villageId: uuid().references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    /** The platform account of this resident, once linked (see userLinkRule). */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Which rule linked the account: 'phone', 'id_number' or 'officer'. */
    userLinkRule: text(),
    userLinkedAt: timestamp({ withTimezone: true }),
    matchKey: text().notNull(),
    source: registrySource().notNull().default('import'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('registry_people_match_key').on(t.matchKey),
    uniqueIndex('registry_people_id_number_key').on(t.idNumberHash).where(sql`${t.idNumberHash} is not null`),
    uniqueIndex('registry_people_user_key').on(t.userId).where(sql`${t.userId} is not null`),
    index().on(t.communeId, t.targetGroupId),
    index().on(t.villageId),
    index().on(t.phone),
    check('registry_people_birth_year', sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`),
    check('registry_people_last4', sql`${t.idNumberLast4} is null or ${t.idNumberLast4} ~ '^[0-9]{4}$'`),
  ],
);

/** Thôn / tổ dân phố as a collective that can earn the "cộng đồng học tập" title: one per village geo unit. */
export const registryCommunities = pgTable(
  'registry_communities',
  {
    id: id(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    geoUnitId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    name: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('registry_communities_geo_unit_key').on(t.geoUnitId), index().on(t.communeId)],
);

/** Hộ gia đình. Matched on import by `code` (số hộ khẩu / mã hộ) when given, else by its head person. */
export const registryHouseholds = pgTable(
  'registry_households',
  {
    id: id(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    villageId: uuid().references(() => geoUnits.id),
    code: text(),
    name: text().notNull(),
    address: text(),
    headPersonId: uuid().references((): AnyPgColumn => registryPeople.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('registry_households_code_key').on(t.communeId, t.code).where(sql`${t.code} is not null`),
    uniqueIndex('registry_households_head_key').on(t.headPersonId).where(sql`${t.headPersonId} is not null`),
    index().on(t.communeId),
  ],
);

/** Dòng họ, named uniquely within its commune (e.g. "Họ Nguyễn Đình thôn Đông"). */
export const registryClans = pgTable(
  'registry_clans',
  {
    id: id(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    name: text().notNull(),
    nameKey: text().notNull(),
    headPersonId: uuid().references((): AnyPgColumn => registryPeople.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('registry_clans_name_key').on(t.communeId, t.nameKey)],
);

/** Đơn vị học tập: an agency, enterprise, school or armed-forces unit. Matched by `code` (tax or unit code) when given, else by name in the commune. */
export const registryUnits = pgTable(
  'registry_units',
  {
    id: id(),
    kind: learningUnitKind().notNull(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    name: text().notNull(),
    nameKey: text().notNull(),
    code: text(),
    headPersonId: uuid().references((): AnyPgColumn => registryPeople.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('registry_units_code_key').on(t.code).where(sql`${t.code} is not null`),
    uniqueIndex('registry_units_name_key').on(t.communeId, t.nameKey),
  ],
);

/**
 * A person's membership of one collective: exactly one of householdId / clanId / communityId / unitId is set,
 * matching `kind`. A membership is current while `validTo` is null; a person has at most one current
 * membership per collective.
 */
export const registryMemberships = pgTable(
  'registry_memberships',
  {
    id: id(),
    personId: uuid()
      .notNull()
      .references(() => registryPeople.id, { onDelete: 'cascade' }),
    kind: collectiveKind().notNull(),
    householdId: uuid().references(() => registryHouseholds.id, { onDelete: 'cascade' }),
    clanId: uuid().references(() => registryClans.id, { onDelete: 'cascade' }),
    communityId: uuid().references(() => registryCommunities.id, { onDelete: 'cascade' }),
    unitId: uuid().references(() => registryUnits.id, { onDelete: 'cascade' }),
    role: membershipRole().notNull().default('member'),
    validFrom: date({ mode: 'string' }),
    validTo: date({ mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'registry_memberships_one_subject',
      sql`(${t.kind} = 'household' and ${t.householdId} is not null and ${t.clanId} is null and ${t.communityId} is null and ${t.unitId} is null)
        or (${t.kind} = 'clan' and ${t.clanId} is not null and ${t.householdId} is null and ${t.communityId} is null and ${t.unitId} is null)
        or (${t.kind} = 'community' and ${t.communityId} is not null and ${t.householdId} is null and ${t.clanId} is null and ${t.unitId} is null)
        or (${t.kind} = 'unit' and ${t.unitId} is not null and ${t.householdId} is null and ${t.clanId} is null and ${t.communityId} is null)`,
    ),
    check('registry_memberships_valid_range', sql`${t.validTo} is null or ${t.validFrom} is null or ${t.validTo} >= ${t.validFrom}`),
    uniqueIndex('registry_memberships_household_current').on(t.householdId, t.personId).where(sql`${t.householdId} is not null and ${t.validTo} is null`),
    uniqueIndex('registry_memberships_clan_current').on(t.clanId, t.personId).where(sql`${t.clanId} is not null and ${t.validTo} is null`),
    uniqueIndex('registry_memberships_community_current').on(t.communityId, t.personId).where(sql`${t.communityId} is not null and ${t.validTo} is null`),
    uniqueIndex('registry_memberships_unit_current').on(t.unitId, t.personId).where(sql`${t.unitId} is not null and ${t.validTo} is null`),
    index().on(t.personId),
    // the indicators' refresh of one commune walks its people to their current memberships (rollup-queries.ts):
    // these answer each probe from the index alone, where the person_id index fetched every membership's row
    // to read its kind (measured at province scale: 0.84 s → 0.44 s for the enterprise-staff indicator of
    // the largest commune)
    index('registry_memberships_current_unit_person').on(t.personId, t.unitId).where(sql`${t.kind} = 'unit' and ${t.validTo} is null`),
    index('registry_memberships_current_collective_person').on(t.personId).where(sql`${t.kind} in ('household', 'clan', 'community') and ${t.validTo} is null`),
  ],
);

/** Chi hội Khuyến học: a branch of Hội Khuyến học under a commune. */
export const khuyenHocBranches = pgTable(
  'khuyen_hoc_branches',
  {
    id: id(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    name: text().notNull(),
    nameKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('khuyen_hoc_branches_name_key').on(t.communeId, t.nameKey)],
);

/** Hội Khuyến học membership: one current branch per person. */
export const khuyenHocMembers = pgTable(
  'khuyen_hoc_members',
  {
    id: id(),
    personId: uuid()
      .notNull()
      .references(() => registryPeople.id, { onDelete: 'cascade' }),
    branchId: uuid()
      .notNull()
      .references(() => khuyenHocBranches.id),
    /** Denormalised from the branch, for scope filters and rollups. */
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    role: khuyenHocRole().notNull().default('member'),
    joinedYear: integer(),
    /**
     * Day the member finished a training on the "Công dân học tập" criteria outside the platform (a branch
     * session, from an import or an officer); completing the criteria course on the platform counts too.
     */
    trainedOn: date({ mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('khuyen_hoc_members_person_key').on(t.personId),
    index().on(t.branchId),
    index().on(t.communeId),
    check('khuyen_hoc_members_joined_year', sql`${t.joinedYear} is null or ${t.joinedYear} between 1996 and 2100`),
  ],
);

/** What the rule found when a collective title was awarded: kept with the award, never recomputed. */
export interface CollectiveEvaluationSnapshot {
  members: number;
  passed: boolean;
  missing: Array<{ code: string; message: string }>;
  [key: string]: unknown;
}

/**
 * A collective title (gia đình / dòng họ / cộng đồng / đơn vị học tập) for one year, awarded under one version
 * of its rule (content/criteria/collective/). Exactly one subject column is set, matching `subjectKind`.
 * Revoking keeps the row (revokedAt); at most one unrevoked award per subject, title and year. A trigger lets
 * only the revocation columns change and rejects DELETE, as for person titles.
 */
export const collectiveTitleAwards = pgTable(
  'collective_title_awards',
  {
    id: id(),
    subjectKind: collectiveKind().notNull(),
    householdId: uuid().references(() => registryHouseholds.id),
    clanId: uuid().references(() => registryClans.id),
    communityId: uuid().references(() => registryCommunities.id),
    unitId: uuid().references(() => registryUnits.id),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    year: integer().notNull(),
    /** Title code, e.g. gia-dinh-hoc-tap, dong-ho-hoc-tap, cong-dong-hoc-tap, don-vi-hoc-tap. */
    title: text().notNull(),
    /** `<rule id>@<version>` of the rule file that held. */
    ruleVersion: text().notNull(),
    decisionNumber: text().notNull(),
    decisionDate: date({ mode: 'string' }).notNull(),
    evaluation: jsonb().$type<CollectiveEvaluationSnapshot>(),
    // no ON DELETE SET NULL: the trigger lets only the revocation change, like person_title_awards.approvedBy
    awardedBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    revokedBy: uuid().references(() => users.id),
    /** The decision that revoked it (a revocation is decided like an award). */
    revocationDecisionNumber: text(),
    revocationDecisionDate: date({ mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'collective_title_awards_one_subject',
      sql`(${t.subjectKind} = 'household' and ${t.householdId} is not null and ${t.clanId} is null and ${t.communityId} is null and ${t.unitId} is null)
        or (${t.subjectKind} = 'clan' and ${t.clanId} is not null and ${t.householdId} is null and ${t.communityId} is null and ${t.unitId} is null)
        or (${t.subjectKind} = 'community' and ${t.communityId} is not null and ${t.householdId} is null and ${t.clanId} is null and ${t.unitId} is null)
        or (${t.subjectKind} = 'unit' and ${t.unitId} is not null and ${t.householdId} is null and ${t.clanId} is null and ${t.communityId} is null)`,
    ),
    uniqueIndex('collective_awards_household_current').on(t.householdId, t.title, t.year).where(sql`${t.householdId} is not null and ${t.revokedAt} is null`),
    uniqueIndex('collective_awards_clan_current').on(t.clanId, t.title, t.year).where(sql`${t.clanId} is not null and ${t.revokedAt} is null`),
    uniqueIndex('collective_awards_community_current').on(t.communityId, t.title, t.year).where(sql`${t.communityId} is not null and ${t.revokedAt} is null`),
    uniqueIndex('collective_awards_unit_current').on(t.unitId, t.title, t.year).where(sql`${t.unitId} is not null and ${t.revokedAt} is null`),
    index().on(t.communeId, t.year, t.subjectKind),
  ],
);

/**
 * One officer upload of a registry file: the dry-run report, and whether it was applied. The file itself is
 * kept in the object store under `fileKey` until applied, so "confirm" imports exactly the bytes that were checked.
 */
export const registryImports = pgTable(
  'registry_imports',
  {
    id: id(),
    kind: registryImportKind().notNull(),
    officerId: uuid()
      .notNull()
      .references(() => users.id),
    fileName: text().notNull(),
    fileSha256: text().notNull(),
    fileKey: text(),
    status: registryImportStatus().notNull().default('checked'),
    rows: integer().notNull(),
    errorCount: integer().notNull(),
    /** Counts after apply: created, updated, unchanged. */
    result: jsonb().$type<Record<string, { created: number; updated: number; unchanged: number; ended: number }>>(),
    createdAt: createdAt(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.officerId, t.createdAt)],
);

export type RegistryPersonRow = typeof registryPeople.$inferSelect;
export type RegistryHouseholdRow = typeof registryHouseholds.$inferSelect;
export type RegistryClanRow = typeof registryClans.$inferSelect;
export type RegistryCommunityRow = typeof registryCommunities.$inferSelect;
export type RegistryUnitRow = typeof registryUnits.$inferSelect;
export type RegistryMembershipRow = typeof registryMemberships.$inferSelect;
export type KhuyenHocBranchRow = typeof khuyenHocBranches.$inferSelect;
export type KhuyenHocMemberRow = typeof khuyenHocMembers.$inferSelect;
export type CollectiveTitleAwardRow = typeof collectiveTitleAwards.$inferSelect;
export type RegistryImportRow = typeof registryImports.$inferSelect;
export type CollectiveKind = (typeof collectiveKind.enumValues)[number];
export type LearningUnitKind = (typeof learningUnitKind.enumValues)[number];
