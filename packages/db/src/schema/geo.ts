import { type AnyPgColumn, index, integer, numeric, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

export const geoUnitType = pgEnum('geo_unit_type', ['province', 'commune', 'ward', 'village', 'residential_group']);

/** Province -> commune (xã) / ward (phường) -> village (thôn) / residential group (tổ dân phố); no districts since 1/7/2025. */
export const geoUnits = pgTable(
  'geo_units',
  {
    id: id(),
    code: text().notNull().unique(),
    name: text().notNull(),
    type: geoUnitType().notNull(),
    parentId: uuid().references((): AnyPgColumn => geoUnits.id),
    formedFrom: text(),
    areaKm2: numeric({ precision: 10, scale: 2 }),
    population: integer(),
    source: text(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.parentId), index().on(t.type)],
);

export type GeoUnit = typeof geoUnits.$inferSelect;
export type NewGeoUnit = typeof geoUnits.$inferInsert;
