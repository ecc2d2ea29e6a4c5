import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The tamper-evident completion log: each entry hashes its payload and the previous entry's hash.
 * `seq` has no gaps (assigned under a lock, never by a sequence that loses numbers on rollback), and a
 * trigger in the migrations rejects UPDATE, DELETE and TRUNCATE.
 */
export const evidenceChain = pgTable(
  'evidence_chain',
  {
    seq: bigint({ mode: 'number' }).primaryKey(),
    kind: text().notNull(),
    subjectId: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    payloadHash: text().notNull(),
    prevHash: text().notNull(),
    entryHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index().on(t.createdAt), index().on(t.kind, t.subjectId)],
);

export type EvidenceEntryRow = typeof evidenceChain.$inferSelect;
