import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

export const targetGroups = pgTable('target_groups', {
  id: id(),
  code: text().notNull().unique(),
  nameVi: text().notNull(),
  nameEn: text().notNull(),
  sortOrder: integer().notNull().default(0),
  source: text(),
  createdAt: createdAt(),
});

export type TargetGroupRow = typeof targetGroups.$inferSelect;
