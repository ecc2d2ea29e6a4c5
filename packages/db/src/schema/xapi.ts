import { sql } from 'drizzle-orm';
import { boolean, customType, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** Raw document bytes: State and profile documents can have any content type. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * xAPI statements, immutable once stored (only `voided` changes). The full statement is kept as stored;
 * the columns beside it are normalised copies of what the query parameters filter on, so every GET
 * is an index range scan ordered by (stored, id): keyset paging, never OFFSET.
 */
export const xapiStatements = pgTable(
  'xapi_statements',
  {
    /** The statement id: the natural key that makes every write idempotent. */
    id: uuid().primaryKey(),
    statement: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Hash of the statement as the client sent it, minus what the LRS may set: compares replays. */
    contentHash: text().notNull(),
    stored: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    timestamp: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    voided: boolean().notNull().default(false),
    /** Set on a voiding statement: the id of the statement it voids. */
    voidsId: uuid(),
    /**
     * The targeted statement's id when the object is a StatementRef (voiding statements included): queries
     * also return statements whose target matches their filters (Communication 2.1.3 "Filter Conditions
     * for StatementRefs").
     */
    refId: uuid(),
    /**
     * The target is itself a targeting statement (a chain a → b → c). Set when either end arrives, so the
     * rare chains deeper than one step are found by a walk of their own small partial index.
     */
    refChain: boolean().notNull().default(false),
    /**
     * Some StatementRef (a voiding statement included) targets this statement. Set when either end arrives,
     * so a query's StatementRef branch starts from the few targeted statements that meet its filters (the
     * partial indexes below) instead of walking every StatementRef.
     */
    targeted: boolean().notNull().default(false),
    /** Inverse functional identifier of the actor, e.g. `mbox:mailto:a@b.vn` (null for an anonymous group). */
    actorIfi: text(),
    /** The object's IFI when the object is an Agent or identified Group. */
    objectAgentIfi: text(),
    verbId: text().notNull(),
    /** The object's id when the object is an Activity. */
    activityId: text(),
    registration: uuid(),
    /**
     * Every agent anywhere in the statement (related_agents=true). Queries page through xapi_statement_related;
     * the arrays stay for filters combined with it and for StatementRef targets.
     */
    relatedAgents: text().array().notNull(),
    /** Every activity anywhere in the statement (related_activities=true). */
    relatedActivities: text().array().notNull(),
    /** Who wrote it: `client:<id>` or `user:<id>`; "read mine" scopes filter on it. */
    authorityKey: text().notNull(),
  },
  (t) => [
    index().on(t.stored, t.id),
    index().on(t.actorIfi, t.stored, t.id),
    index().on(t.objectAgentIfi, t.stored, t.id),
    index().on(t.verbId, t.stored, t.id),
    index().on(t.activityId, t.stored, t.id),
    index().on(t.registration, t.stored, t.id),
    index().on(t.authorityKey, t.stored, t.id),
    index().on(t.voidsId),
    // Partial: StatementRef statements are a small share, walked in stored order or probed by target.
    index('xapi_statements_ref_stored_index').on(t.stored, t.id).where(sql`${t.refId} is not null`),
    index('xapi_statements_ref_id_index').on(t.refId).where(sql`${t.refId} is not null`),
    index('xapi_statements_ref_chain_stored_index').on(t.stored, t.id).where(sql`${t.refChain}`),
    // Partial: the targets of StatementRefs, by each filter a query may put on them (a small share of rows).
    index('xapi_statements_targeted_actor_index').on(t.actorIfi).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_object_agent_index').on(t.objectAgentIfi).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_verb_index').on(t.verbId).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_activity_index').on(t.activityId).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_registration_index').on(t.registration).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_related_agents_gin').using('gin', t.relatedAgents).where(sql`${t.targeted}`),
    index('xapi_statements_targeted_related_activities_gin').using('gin', t.relatedActivities).where(sql`${t.targeted}`),
  ],
);

/**
 * One row per (statement, related agent or activity): what related_agents / related_activities page
 * through. The primary key is the order a page is read in, so a first page is one backward range scan of
 * a key's newest entries; a GIN index over the arrays finds the same statements but unordered, so every
 * query fetched and sorted all of a learner's statements. Written in the statement's own INSERT (its
 * stored time copied), never updated: voided statements are left out by the join to xapi_statements. No
 * foreign key: statements are never deleted, and the check would cost an index probe per row on ingest.
 */
export const xapiStatementRelated = pgTable(
  'xapi_statement_related',
  {
    kind: text().$type<'agent' | 'activity'>().notNull(),
    /** The agent's IFI (as in related_agents) or the activity id. */
    key: text().notNull(),
    stored: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    statementId: uuid().notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key, t.stored, t.statementId] })],
);

/**
 * State, Activity Profile and Agent Profile documents in one table. Parts a kind does not use are ''
 * rather than NULL so the primary key covers every kind.
 */
export const xapiDocuments = pgTable(
  'xapi_documents',
  {
    kind: text().$type<'state' | 'activity_profile' | 'agent_profile'>().notNull(),
    activityId: text().notNull().default(''),
    agentIfi: text().notNull().default(''),
    registration: text().notNull().default(''),
    docId: text().notNull(),
    content: bytea().notNull(),
    contentType: text().notNull(),
    etag: text().notNull(),
    updated: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.activityId, t.agentIfi, t.registration, t.docId] }), index().on(t.kind, t.activityId, t.agentIfi, t.updated)],
);

/** Attachment content sent with statements (multipart/mixed), stored once per SHA-2 hash. */
export const xapiAttachments = pgTable('xapi_attachments', {
  sha2: text().primaryKey(),
  contentType: text().notNull(),
  content: bytea().notNull(),
  createdAt: createdAt(),
});

/** Credentials an admin issues per xAPI client (HTTP Basic: key and secret). */
export const lrsClients = pgTable('lrs_clients', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  key: text().notNull().unique(),
  /** sha256 of a 32-byte random secret: strong enough without argon2's cost on every statement POST. */
  secretHash: text().notNull(),
  scopes: text().array().notNull(),
  createdAt: createdAt(),
  disabledAt: timestamp({ withTimezone: true }),
});

export type XapiStatementRow = typeof xapiStatements.$inferSelect;
export type NewXapiStatementRow = typeof xapiStatements.$inferInsert;
export type XapiDocumentRow = typeof xapiDocuments.$inferSelect;
export type LrsClientRow = typeof lrsClients.$inferSelect;
