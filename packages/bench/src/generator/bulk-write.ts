import { pipeline } from 'node:stream/promises';
import { type Db, inlineText } from '@hts/db';
import { sql } from 'drizzle-orm';

/** A column of a bulk write: its name and the PostgreSQL type its JSON value is read as on the INSERT path. */
export interface BulkColumn {
  name: string;
  type: string;
}

type Value = string | number | null | Record<string, unknown>;

interface CopyClient {
  (strings: TemplateStringsArray, ...values: unknown[]): { writable(): Promise<NodeJS.WritableStream> };
  unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> };
}

/** The postgres.js client under drizzle, or null on PGlite (whose client takes no COPY FROM STDIN stream). */
function copyClient(db: Db): CopyClient | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return typeof client === 'function' && typeof (client as { unsafe?: unknown }).unsafe === 'function' ? (client as CopyClient) : null;
}

// COPY's text format: backslash, tab, newline and carriage return are the only bytes with a meaning
const copyField = (v: Value): string => {
  if (v === null) return '\\N';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
};

/**
 * Appends rows (one value per column, in order) to `table`. On PostgreSQL by COPY FROM STDIN, which skips
 * the parse and plan of an INSERT and the parameter work of a driver; on PGlite by one INSERT whose rows
 * come as a single JSON literal (jsonb_to_recordset), which both drivers send as a simple query.
 */
export async function bulkWrite(db: Db, table: string, columns: readonly BulkColumn[], rows: readonly Value[][]): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.name).join(', ');
  const client = copyClient(db);
  if (client) {
    const text = rows.map((r) => r.map(copyField).join('\t')).join('\n');
    const stream = await client.unsafe(`copy ${table} (${names}) from stdin`).writable();
    await pipeline([`${text}\n`], stream);
    return;
  }
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i] ?? null]))));
  const record = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${inlineText(json)}::jsonb) as r(${sql.raw(record)})`,
  );
}
