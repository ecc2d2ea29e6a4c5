import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (delivered at the sender's commit, never before); resolves
   * to the function that stops listening. PostgreSQL holds one extra connection for it.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… ; when absent, PGlite is used. */
  url?: string;
  /** PGlite folder; absent means in memory. */
  dataDir?: string;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /**
   * Called with the text of every statement the code sends through drizzle (not the driver's own BEGIN and
   * COMMIT): lets a test count what a use case costs in statements, so a gain cannot silently regress.
   */
  onQuery?: (query: string, params: unknown[]) => void;
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
// Any constant works; it only has to be the same for every process that migrates this database.
const MIGRATION_LOCK = 727_001;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.url ? await openPostgres(options.url, options) : await openPglite(options.dataDir, options.onQuery);
  if (options.migrate !== false) await runMigrations(handle, options.url);
  return handle;
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  // JIT off for every connection: the platform's statements are short (a page, a batch, one commune's
  // rollups), and a planner cost estimate above jit_above_cost (often a misjudged row count) made PostgreSQL
  // compile them first: measured, 90–260 ms of JIT on a 5 ms StatementRef page at 10 million statements and
  // on each indicator refresh statement at province scale
  const client = postgres(url, { max: options.maxConnections ?? 10, onnotice: () => {}, connection: { application_name: 'hoc-tap-so', jit: 'off' } });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case', ...queryLogger(options.onQuery) }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, onNotify);
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

const queryLogger = (onQuery: DatabaseOptions['onQuery']) =>
  onQuery ? { logger: { logQuery: (query: string, params: unknown[]) => onQuery(query, params) } } : {};

async function openPglite(dataDir: string | undefined, onQuery?: DatabaseOptions['onQuery']): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The catalog's diacritic-insensitive search needs these; real PostgreSQL has them in its contrib package.
  const extensions = { unaccent, pg_trgm };
  const client = dataDir ? new PGlite(dataDir, { extensions }) : new PGlite({ extensions });
  await client.waitReady;
  const db = drizzlePglite(client, { schema, casing: 'snake_case', ...queryLogger(onQuery) }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    listen: (channel, onNotify) => client.listen(channel, onNotify),
    close: () => client.close(),
  };
}

async function runMigrations(handle: DatabaseHandle, url: string | undefined): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder });
    return;
  }
  // Several API replicas may start at once: one connection holds an advisory lock while it migrates.
  const lockClient = postgres(url as string, { max: 1, onnotice: () => {} });
  try {
    await lockClient`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder });
    await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await lockClient.end({ timeout: 5 });
  }
}

/** Raw SQL rows, whichever driver ran it (postgres.js answers an array, PGlite an object with rows). */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
