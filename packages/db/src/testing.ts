import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, type DatabaseOptions, openDatabase } from './client.ts';

/**
 * A fresh, migrated database for one test file: a new database on the server named by
 * TEST_DATABASE_URL when it is set (so CI exercises real PostgreSQL), an in-memory PGlite otherwise.
 * The caller passes the URL in; this package reads no environment.
 */
export async function openTestDatabase(testDatabaseUrl: string | undefined, options: Pick<DatabaseOptions, 'onQuery'> = {}): Promise<DatabaseHandle> {
  if (!testDatabaseUrl) return openDatabase({ migrate: true, ...options });
  const fresh = await createTestDatabase(testDatabaseUrl);
  const handle = await openDatabase({ url: fresh.url, maxConnections: 5, ...options });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await fresh.drop();
    },
  };
}

/**
 * An empty database on the server of TEST_DATABASE_URL, by URL: for tests that start the API or the CLI
 * as another process (which migrates it itself).
 */
export async function createTestDatabase(testDatabaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hts_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end({ timeout: 5 });
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end({ timeout: 5 });
    },
  };
}
