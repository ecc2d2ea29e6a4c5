import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { courses, courseVersions } from './courses.ts';
import { courseCompletions } from './learning.ts';
import { users } from './users.ts';

/**
 * Every public key the platform has signed credentials with, by key id (the RFC 7638 thumbprint). A key
 * stays here after a rotation so credentials signed with it still verify; rows are never changed.
 */
export const credentialIssuerKeys = pgTable('credential_issuer_keys', {
  kid: text().primaryKey(),
  publicJwk: jsonb().$type<Record<string, string>>().notNull(),
  createdAt: createdAt(),
});

/**
 * One Open Badges 3.0 credential per course completion, stored exactly as signed (the compact JWS and its
 * decoded payload). Append-only: a trigger rejects UPDATE and DELETE; revocation is a row of its own.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: id(),
    completionId: uuid()
      .notNull()
      .references(() => courseCompletions.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    courseId: uuid()
      .notNull()
      .references(() => courses.id),
    versionId: uuid()
      .notNull()
      .references(() => courseVersions.id),
    kid: text()
      .notNull()
      .references(() => credentialIssuerKeys.kid),
    jwt: text().notNull(),
    credential: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Kept private: it lets the learner prove the hashed identity in the credential is theirs. */
    identitySalt: text().notNull(),
    issuedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    validUntil: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [uniqueIndex().on(t.completionId), index().on(t.userId), index().on(t.courseId)],
);

/** At most one per credential (a second revoke is a conflict); never changed or deleted. */
export const credentialRevocations = pgTable(
  'credential_revocations',
  {
    id: id(),
    credentialId: uuid()
      .notNull()
      .references(() => credentials.id),
    reason: text().notNull(),
    revokedBy: uuid()
      .notNull()
      .references(() => users.id),
    revokedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex().on(t.credentialId)],
);

export type CredentialRow = typeof credentials.$inferSelect;
export type CredentialRevocationRow = typeof credentialRevocations.$inferSelect;
export type CredentialIssuerKeyRow = typeof credentialIssuerKeys.$inferSelect;
