import { bigint, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.ts';

export const auditOutcome = pgEnum('audit_outcome', ['success', 'failure', 'denied']);

/** Append-only: a trigger in the migrations rejects UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid(),
    action: text().notNull(),
    outcome: auditOutcome().notNull(),
    subjectType: text(),
    subjectId: text(),
    /** For failed sign-ins: the normalised login tried, so per-account throttling can count them. */
    subjectKey: text(),
    ip: text(),
    userAgent: text(),
    details: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [index().on(t.action, t.subjectKey, t.occurredAt), index().on(t.actorUserId, t.occurredAt), index().on(t.occurredAt)],
);

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;
