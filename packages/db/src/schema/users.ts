import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { geoUnits } from './geo.ts';
import { targetGroups } from './target-groups.ts';

export const userStatus = pgEnum('user_status', ['active', 'disabled']);
export const roleName = pgEnum('role_name', ['citizen', 'trainer', 'branch', 'officer', 'admin']);

export const users = pgTable(
  'users',
  {
    id: id(),
    /** Stored lower-cased; unique among users that have one. */
    email: text(),
    /** Stored as +84xxxxxxxxx. */
    phone: text(),
    fullName: text().notNull(),
    birthYear: integer(),
    communeId: uuid().references(() => geoUnits.id),
    targetGroupId: uuid().references(() => targetGroups.id),
    passwordHash: text().notNull(),
    status: userStatus().notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email).where(sql`${t.email} is not null`),
    uniqueIndex('users_phone_key').on(t.phone).where(sql`${t.phone} is not null`),
    index().on(t.communeId),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleName().notNull(),
    grantedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.userId, t.role)],
);

/** A scope is a geographic unit; a province unit covers every commune under it. */
export const userRoleScopes = pgTable(
  'user_role_scopes',
  {
    userRoleId: uuid()
      .notNull()
      .references(() => userRoles.id, { onDelete: 'cascade' }),
    geoUnitId: uuid()
      .notNull()
      .references(() => geoUnits.id),
  },
  (t) => [primaryKey({ columns: [t.userRoleId, t.geoUnitId] })],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type RoleName = (typeof roleName.enumValues)[number];
