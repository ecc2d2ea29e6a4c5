import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, queryRows } from '@hts/db';
import { createTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The kill test: statements are posted while the API process is killed with SIGKILL; after a restart
 * every statement that was acknowledged is present exactly once. Runs the real main.ts as a child
 * process, on PGlite in a temp folder, or on a fresh PostgreSQL database when TEST_DATABASE_URL is set.
 */
const apiDir = fileURLToPath(new URL('../', import.meta.url));
const KEY = 'kill-test-client';
const SECRET = randomBytes(24).toString('base64url');
const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

let env: Record<string, string>;
let dataDir: string;
let dropDatabase = async () => {};
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hts-kill-'));
  env = {
    DATA_DIR: dataDir,
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    RUN_WORKER: 'false',
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    DEMO_PASSWORD: 'demo-pass-123',
    LRS_DEMO_KEY: KEY,
    LRS_DEMO_SECRET: SECRET,
  };
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const fresh = await createTestDatabase(base);
    env.DATABASE_URL = fresh.url;
    dropDatabase = fresh.drop;
  }
});
afterAll(async () => {
  await dropDatabase();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts main.ts (node with the tsx loader, so the pid is the server itself) and waits for its port. */
function startApi(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) resolve({ child, base: m[1] as string });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`api exited (${code}) before listening:\n${output}`)));
  });
}

// Completions are written in a transaction with the evidence chain; progress statements by a lone INSERT
// when a group holds nothing else: clients send both, so the kill lands on either path.
const statementOf = (verb: string) => () => ({
  id: randomUUID(),
  actor: { mbox: 'mailto:kill-test@example.vn' },
  verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
  object: { id: `https://hoc.bacninh.vn/xapi/activities/lesson/${randomUUID()}` },
});

async function post(base: string, batch: unknown[]): Promise<boolean> {
  try {
    const res = await fetch(`${base}/xapi/statements`, {
      method: 'POST',
      headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

describe('SIGKILL during ingest', () => {
  it('keeps every acknowledged statement exactly once across a kill -9 and restart', async () => {
    const acknowledged: string[] = [];
    const acknowledgedCompletions: string[] = [];
    const first = await startApi();
    let killed = false;
    const client = async (verb: string) => {
      while (!killed) {
        const batch = Array.from({ length: 5 }, statementOf(verb));
        if (!(await post(first.base, batch))) continue;
        acknowledged.push(...batch.map((s) => s.id));
        if (verb === 'completed') acknowledgedCompletions.push(...batch.map((s) => s.id));
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i % 2 === 0 ? 'completed' : 'experienced'));
    // Kill once a fair number are in, while requests are still in flight.
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    killed = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    const second = await startApi();
    // The restarted API serves acknowledged statements (checked in full in the database below).
    for (const id of [acknowledged[0], acknowledged.at(-1)]) {
      const res = await fetch(`${second.base}/xapi/statements?statementId=${id}`, { headers: { authorization: auth, 'x-experience-api-version': '1.0.3' } });
      expect(res.status).toBe(200);
    }
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await stopped;

    const db = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL, maxConnections: 1, migrate: false } : { dataDir: `${dataDir}/pglite`, migrate: false },
    );
    try {
      const rows = await queryRows<{ id: string; n: number }>(
        db.db,
        sql`select id::text as id, count(*)::int as n from xapi_statements where id = any(${`{${acknowledged.join(',')}}`}::uuid[]) group by id`,
      );
      expect(rows.length).toBe(acknowledged.length);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      const chain = await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from evidence_chain where subject_id = any(${`{${acknowledged.join(',')}}`}::text[])`,
      );
      // each acknowledged completion is chained once; progress statements are not completions
      expect(Number(chain[0]?.n)).toBe(acknowledgedCompletions.length);
    } finally {
      await db.close();
    }
  }, 120_000);
});
