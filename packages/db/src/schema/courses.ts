import type { CourseDoc } from '@hts/contracts';
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { mediaAssets } from './media.ts';
import { users } from './users.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Items of the competence frameworks in content/frameworks; courses, lessons and questions map to these codes. */
export const competences = pgTable('competences', {
  code: text().primaryKey(),
  framework: text().notNull(),
  groupCode: text().notNull(),
  groupName: text().notNull(),
  nameVi: text().notNull(),
  nameEn: text().notNull(),
  /** As the source notes mark it ([nguồn phụ], [chưa xác minh], …); null when confirmed. */
  assumption: text(),
  sortOrder: integer().notNull().default(0),
});

/**
 * A course: its editable draft (one JSON document) and, once published, the catalog columns copied from its
 * current published version so the catalog reads one narrow table with its own indexes.
 */
export const courses = pgTable(
  'courses',
  {
    id: id(),
    slug: text().notNull(),
    /** The trainer who may edit it; null for courses loaded from content/ until an admin assigns one. */
    ownerId: uuid().references(() => users.id, { onDelete: 'set null' }),
    origin: text().notNull().default('authored'),
    /** Unpublished edits; null when the course has nothing beyond its published version. */
    draft: jsonb().$type<CourseDoc>(),
    draftUpdatedAt: timestamp({ withTimezone: true }),
    publishedVersionId: uuid().references((): AnyPgColumn => courseVersions.id),
    title: text().notNull(),
    summary: text().notNull().default(''),
    level: text().notNull().default('co-ban'),
    durationMinutes: integer().notNull().default(0),
    competences: text().array().notNull().default(sql`'{}'::text[]`),
    targetGroups: text().array().notNull().default(sql`'{}'::text[]`),
    /** Title, summary, module and lesson titles: what catalog search matches (indexes in a custom migration). */
    searchText: text().notNull().default(''),
    /**
     * search_text folded (case, diacritics) and its word vector, computed once when the row is written: the
     * search matches and ranks on these, so a query never calls unaccent per row (the benchmark measured
     * 110 ms for folding the 3,000 rows of a national catalog on every search).
     */
    searchFolded: text().notNull().generatedAlwaysAs(sql`hts_fold(search_text)`),
    searchVector: tsvector().notNull().generatedAlwaysAs(sql`to_tsvector('simple', hts_fold(search_text))`),
    enrolmentCount: integer().notNull().default(0),
    publishedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex().on(t.slug),
    index().on(t.ownerId),
    index('courses_competences_gin').using('gin', t.competences),
    index('courses_target_groups_gin').using('gin', t.targetGroups),
    index().on(t.enrolmentCount, t.id),
    index('courses_search_vector_gin').using('gin', t.searchVector),
    index('courses_search_folded_trgm').using('gin', sql`${t.searchFolded} gin_trgm_ops`),
    check('courses_origin_check', sql`${t.origin} in ('content', 'authored')`),
  ],
);

/** A published version: the whole course frozen as one document. Immutable (a trigger rejects changes). */
export const courseVersions = pgTable(
  'course_versions',
  {
    id: id(),
    courseId: uuid()
      .notNull()
      .references((): AnyPgColumn => courses.id),
    number: integer().notNull(),
    doc: jsonb().$type<CourseDoc>().notNull(),
    /** sha256 of the document, so re-seeding the same content does not publish a new version. */
    docHash: text().notNull(),
    publishedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.courseId, t.number)],
);

/**
 * The media assets a published version plays (its video lessons' mediaAssetId), written with the version:
 * who may watch an asset and whether it may be deleted are one indexed lookup, not a scan of documents.
 */
export const courseVersionMedia = pgTable(
  'course_version_media',
  {
    assetId: uuid()
      .notNull()
      .references(() => mediaAssets.id),
    versionId: uuid()
      .notNull()
      .references((): AnyPgColumn => courseVersions.id),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.versionId] }), index().on(t.versionId)],
);

export type CourseRow = typeof courses.$inferSelect;
export type CourseVersionRow = typeof courseVersions.$inferSelect;
export type CompetenceRow = typeof competences.$inferSelect;
