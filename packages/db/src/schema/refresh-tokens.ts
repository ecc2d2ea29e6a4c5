import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { users } from './users.ts';

/**
 * Opaque refresh tokens, stored only as SHA-256 hashes. Each sign-in starts a family; every refresh
 * marks the presented token used and issues a child. Presenting a used token again means it leaked:
 * the whole family is revoked.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid().notNull(),
    parentId: uuid(),
    tokenHash: text().notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index().on(t.familyId), index().on(t.userId), index().on(t.expiresAt)],
);

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
