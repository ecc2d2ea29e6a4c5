import type { IndicatorDefinition } from '@hts/contracts';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { geoUnits } from './geo.ts';
import { targetGroups } from './target-groups.ts';
import { users } from './users.ts';

/**
 * One version of an indicator definition from content/indicators, seeded on start. A version never changes:
 * the seed refuses a definition whose content differs from the stored one under the same version.
 */
export const indicatorDefinitions = pgTable(
  'indicator_definitions',
  {
    id: text().notNull(),
    version: text().notNull(),
    yearFrom: integer().notNull(),
    yearTo: integer().notNull(),
    definition: jsonb().$type<IndicatorDefinition>().notNull(),
    /** sha256 of the canonical JSON definition. */
    contentHash: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] }), check('indicator_definitions_years', sql`${t.yearFrom} <= ${t.yearTo}`)],
);

/**
 * Numerator and denominator of one indicator per commune × target group × year, kept current by the refresh
 * of dirty communes (indicator_dirty_communes) and recomputable from raw records by a full rebuild.
 * target_group_id is null for indicators not cut by group (collectives, the unit gate).
 * numerator_by_month[m] counts those whose condition held before the end of month m (1–12) of the year.
 */
export const indicatorRollups = pgTable(
  'indicator_rollups',
  {
    indicatorId: text().notNull(),
    version: text().notNull(),
    year: integer().notNull(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    numerator: integer().notNull(),
    denominator: integer().notNull(),
    numeratorByMonth: integer().array().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('indicator_rollups_cell').on(t.indicatorId, t.year, t.communeId, t.targetGroupId).nullsNotDistinct(),
    index().on(t.year, t.communeId),
    check('indicator_rollups_counts', sql`${t.numerator} >= 0 and ${t.denominator} >= 0`),
  ],
);

/**
 * One row whose version every write of rollups bumps in its own transaction (a refresh, a rebuild): whether any
 * dashboard number changed is then one primary-key probe, the key of the API's dashboard cache. (Summing the
 * cells' transaction ids instead took 7 ms per request at province scale.)
 */
export const indicatorRollupState = pgTable(
  'indicator_rollup_state',
  {
    id: smallint().primaryKey().default(1),
    version: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [check('indicator_rollup_state_one_row', sql`${t.id} = 1`)],
);

/**
 * The outbox of the rollups: a write that changes what an indicator counts marks the communes it touches,
 * in its own transaction; the `indicators.refresh` job recomputes those communes right after. A mark can
 * narrow what needs recomputing (a confirmation moves only the indicators that read confirmations, and only
 * from its year on); marks of one commune merge into the wider of the two.
 */
export const indicatorDirtyCommunes = pgTable('indicator_dirty_communes', {
  communeId: uuid()
    .primaryKey()
    .references(() => geoUnits.id),
  markedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** The kinds of evidence that changed (IndicatorInput in the domain); null = anything: every indicator. */
  inputs: text().array(),
  /** The first year whose cells can have moved; null = every year. */
  fromYear: integer(),
});

/**
 * An official count (e.g. adults living in the commune) for a year, imported by an officer, used as the
 * denominator of indicators whose base is `official`. target_group_id null = all groups together.
 */
export const indicatorOfficialCounts = pgTable(
  'indicator_official_counts',
  {
    countKey: text().notNull(),
    year: integer().notNull(),
    communeId: uuid()
      .notNull()
      .references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    count: integer().notNull(),
    importedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The file and row it came from, e.g. "dan-so-2025.csv:14". */
    sourceRef: text(),
    details: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    unique('indicator_official_counts_cell').on(t.countKey, t.year, t.communeId, t.targetGroupId).nullsNotDistinct(),
    check('indicator_official_counts_count', sql`${t.count} >= 0`),
  ],
);

export type IndicatorDefinitionRow = typeof indicatorDefinitions.$inferSelect;
export type IndicatorRollupRow = typeof indicatorRollups.$inferSelect;
export type IndicatorOfficialCountRow = typeof indicatorOfficialCounts.$inferSelect;
