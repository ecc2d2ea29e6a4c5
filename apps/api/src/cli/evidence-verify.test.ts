import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DatabaseHandle, openDatabase } from '@hts/db';
import { createTestDatabase } from '@hts/db/testing';
import { type LrsPrincipal, storeStatements, systemClock } from '@hts/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './commands.ts';

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI runs as its own process, so the test database must be reachable by URL or folder. */
let env: Record<string, string>;
let handle: DatabaseHandle;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  const dataDir = await mkdtemp(join(tmpdir(), 'hts-cli-'));
  if (base) {
    const fresh = await createTestDatabase(base);
    env = { DATABASE_URL: fresh.url, DATA_DIR: dataDir };
    cleanup = fresh.drop;
  } else {
    env = { DATA_DIR: dataDir };
    cleanup = async () => {};
  }
  const open = () => openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL, maxConnections: 2 } : { dataDir: `${dataDir}/pglite` });
  handle = await open();
  const principal: LrsPrincipal = { authorityKey: 'client:t', authority: { mbox: 'mailto:lrs@example.vn' }, scopes: new Set(['all']) };
  const completion = () => ({
    id: randomUUID(),
    actor: { mbox: 'mailto:lan@example.vn' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: 'https://hoc.bacninh.vn/xapi/activities/course/1' },
  });
  await storeStatements({ db: handle.db, clock: systemClock }, principal, [completion(), completion(), completion()]);
  // PGlite allows one process per folder: the CLI process opens it after this one lets go.
  if (!env.DATABASE_URL) await handle.close();
  cleanup = ((previous) => async () => {
    if (env.DATABASE_URL) await handle.close();
    await previous();
    await rm(dataDir, { recursive: true, force: true });
  })(cleanup);
}, 60_000);
afterAll(async () => cleanup?.());

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run('pnpm', ['exec', 'tsx', 'src/cli.ts', ...args], { cwd: apiDir, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** An operator who bypasses the append-only trigger and edits a row by hand. */
async function tamper(seq: number) {
  const h = env.DATABASE_URL ? handle : await openDatabase({ dataDir: `${env.DATA_DIR}/pglite`, migrate: false });
  await h.db.execute(sql`alter table evidence_chain disable trigger evidence_chain_no_update`);
  await h.db.execute(sql`update evidence_chain set payload = jsonb_set(payload, '{actor}', '"mbox:mailto:someone-else@example.vn"') where seq = ${seq}`);
  await h.db.execute(sql`alter table evidence_chain enable trigger evidence_chain_no_update`);
  if (!env.DATABASE_URL) await h.close();
}

describe('pnpm cli evidence verify', () => {
  it('passes on a clean chain with exit code 0', async () => {
    const res = await cli('evidence', 'verify');
    expect(res.stdout, res.stderr).toContain('evidence chain OK: 3 entries');
    expect(res.code).toBe(0);
  });

  it('fails with exit code 1 naming the entry edited by hand', async () => {
    await tamper(2);
    const res = await cli('evidence', 'verify');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('BROKEN at entry seq=2');
    expect(res.stderr).toContain('payload');
  });
});

describe('pnpm cli lrs create-client', () => {
  it('prints a key and a secret for the scopes asked', async () => {
    const res = await cli('lrs', 'create-client', '--', '--name', 'H5P trên trang khóa học', '--scopes', 'statements/write,statements/read/mine');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/key: +lrs_\S+/);
    expect(res.stdout).toMatch(/secret: +\S{40,}/);
  });

  it('refuses an unknown scope with exit code 2', async () => {
    const lines: string[] = [];
    const code = await runCli(['lrs', 'create-client', '--name', 'x', '--scopes', 'everything'], handle.db, { out: () => {}, err: (l) => lines.push(l) }).catch(
      () => -1,
    );
    // PGlite's handle is closed once the CLI processes own the folder; the argument check fails before any query.
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('scopes must be some of');
  });
});
