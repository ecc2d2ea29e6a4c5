/**
 * The LRS performance scenario (issue 5), run with `pnpm --filter @hts/api bench:xapi` against PostgreSQL
 * (BENCH_DATABASE_URL, else TEST_DATABASE_URL). Not a timed test: it prints rates measured side by side
 * in one run on one fresh database, and their ratios.
 *   A. batched ingest through HTTP: batches of 50, 8 concurrent clients
 *   B. single-statement POSTs, 64 concurrent clients
 *   C. the same statements as A by raw multi-row INSERT (8 connections, 50 rows a statement)
 *   D. first page of a query by agent and by activity: p50 / p95 over repeated queries
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { statementColumns } from '@hts/domain';
import postgres from 'postgres';

const baseUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  console.error('set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server; the embedded PGlite is not what production runs');
  process.exit(2);
}
const TOTAL = Number(process.env.BENCH_STATEMENTS || 20_000);
const SINGLES = Number(process.env.BENCH_SINGLE_STATEMENTS || 4_000);
const KEY = 'bench-client';
const SECRET = randomBytes(24).toString('base64url');
const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const apiDir = fileURLToPath(new URL('../', import.meta.url));

const learners = Array.from({ length: 2000 }, (_, i) => `mailto:hoc.vien.${i}@example.vn`);
const activities = Array.from({ length: 200 }, (_, i) => `https://hoc.bacninh.vn/xapi/activities/lesson/${i}`);
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;
const verbs = ['http://adlnet.gov/expapi/verbs/experienced', 'http://adlnet.gov/expapi/verbs/attempted', 'http://adlnet.gov/expapi/verbs/completed'];
const statement = () => ({
  id: randomUUID(),
  actor: { objectType: 'Agent', mbox: pick(learners) },
  verb: { id: pick(verbs) },
  object: { objectType: 'Activity', id: pick(activities), definition: { name: { vi: 'Bài học' } } },
  result: { completion: true, duration: 'PT5M' },
  context: { registration: randomUUID(), contextActivities: { parent: [{ id: 'https://hoc.bacninh.vn/xapi/activities/course/1' }] } },
  timestamp: new Date().toISOString(),
});

function startApi(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '16',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    RUN_WORKER: 'false',
    LOG_LEVEL: 'error',
    DEMO_PASSWORD: 'bench-pass-123',
    LRS_DEMO_KEY: KEY,
    LRS_DEMO_SECRET: SECRET,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: apiDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, base: m[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`api exited ${code}`)));
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
  return (performance.now() - started) / 1000;
}

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

async function post(base: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}/xapi/statements`, {
    method: 'POST',
    headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

async function main(): Promise<void> {
  const name = `hts_bench_lrs_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl as string, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl as string);
  url.pathname = `/${name}`;
  const api = await startApi(url.toString());
  const sql = postgres(url.toString(), { max: 8, onnotice: () => {} });
  try {
    const [{ synchronous_commit }] = (await sql`show synchronous_commit`) as unknown as [{ synchronous_commit: string }];
    const rows: [string, number, number][] = [];

    const batched = Array.from({ length: TOTAL }, statement);
    const a = await pool(chunk(batched, 50), 8, (b) => post(api.base, b));
    rows.push(['A. HTTP batches of 50, 8 clients', TOTAL, a]);

    const singles = Array.from({ length: SINGLES }, statement);
    const b = await pool(singles, 64, (s) => post(api.base, s));
    rows.push(['B. HTTP single statements, 64 clients', SINGLES, b]);

    // C: the same statements again under new ids, straight into the table as multi-row INSERTs.
    const raw = batched.map((s) => {
      const id = randomUUID();
      const now = new Date().toISOString();
      const full = { ...s, id, stored: now, authority: { mbox: 'mailto:bench@example.vn' }, version: '1.0.0' };
      const c = statementColumns(full);
      return {
        id,
        statement: full,
        content_hash: 'x',
        stored: now,
        timestamp: s.timestamp,
        voided: false,
        voids_id: c.voidsId,
        actor_ifi: c.actorIfi,
        object_agent_ifi: c.objectAgentIfi,
        verb_id: c.verbId,
        activity_id: c.activityId,
        registration: c.registration,
        related_agents: c.relatedAgents,
        related_activities: c.relatedActivities,
        authority_key: 'bench',
      };
    });
    const c = await pool(chunk(raw, 50), 8, async (batch) => {
      await sql`insert into xapi_statements ${sql(batch as never)}`;
    });
    rows.push(['C. raw multi-row INSERT, 50 rows, 8 connections', TOTAL, c]);

    const [{ n }] = (await sql`select count(*)::int as n from xapi_statements`) as unknown as [{ n: number }];
    const timings: Record<string, number[]> = { agent: [], activity: [] };
    for (let i = 0; i < 200; i++) {
      for (const [kind, q] of [
        ['agent', { agent: JSON.stringify({ mbox: pick(learners) }) }],
        ['activity', { activity: pick(activities) }],
      ] as const) {
        const started = performance.now();
        const res = await fetch(`${api.base}/xapi/statements?${new URLSearchParams({ ...q, limit: '25' })}`, {
          headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
        });
        await res.arrayBuffer();
        timings[kind]?.push(performance.now() - started);
      }
    }

    const rate = (count: number, seconds: number) => count / seconds;
    console.log(`\nxAPI ingest on PostgreSQL (synchronous_commit=${synchronous_commit}), ${TOTAL} batched + ${SINGLES} single statements\n`);
    for (const [label, count, seconds] of rows)
      console.log(
        `${label.padEnd(50)} ${String(count).padStart(7)} in ${seconds.toFixed(2).padStart(6)} s  ${rate(count, seconds).toFixed(0).padStart(7)} statements/s`,
      );
    console.log(`\nratio A / C (HTTP batched vs raw INSERT): ${(rate(TOTAL, a) / rate(TOTAL, c)).toFixed(2)}`);
    console.log(`ratio B / A (single vs batched HTTP):    ${(rate(SINGLES, b) / rate(TOTAL, a)).toFixed(2)}`);
    console.log(`\nfirst page (limit 25) over HTTP with ${n} statements stored:`);
    for (const [kind, list] of Object.entries(timings))
      console.log(`  by ${kind.padEnd(8)} p50 ${percentile(list, 50).toFixed(1)} ms  p95 ${percentile(list, 95).toFixed(1)} ms`);
  } finally {
    api.child.kill('SIGTERM');
    await new Promise((r) => api.child.once('exit', r));
    await sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
