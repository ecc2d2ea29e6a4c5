import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { type DatabaseTarget, openTarget, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { assertLoopback } from '../load/http-load.ts';
import type { BenchContext, Scale, Scenario } from '../scenario.ts';
import { startApiWithTarget } from '../servers/api.ts';
import { sharedBare } from '../servers/bare.ts';
import { quantile } from '../stats.ts';

/** Statements stored before querying; learners and activities scale with them (~200 and ~5,000 statements each). */
export const queryVolume: Record<Scale, { statements: number; queries: number }> = {
  small: { statements: 20_000, queries: 60 },
  province: { statements: 10_000_000, queries: 400 },
};
const LESSON = 'https://hoc.bacninh.vn/xapi/activities/lesson/';
const learnerMbox = (i: number) => `mailto:hoc.vien.${i}@example.vn`;
export const populationOf = (statements: number) => ({
  learners: Math.max(10, Math.floor(statements / 200)),
  activities: Math.max(5, Math.floor(statements / 5000)),
});

/**
 * Fills xapi_statements with `count` statements in SQL (generate_series, a million rows a statement), the
 * shape an LRS client stores: actor by mbox, a lesson activity, one of three verbs, 3 ms apart. On
 * PostgreSQL the secondary indexes are dropped first and rebuilt after (as a restore would), then ANALYZE.
 */
export async function generateStatements(db: Db, count: number, log: (m: string) => void): Promise<void> {
  const { learners, activities } = populationOf(count);
  const started = performance.now();
  const indexes = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`select indexname, indexdef from pg_indexes where tablename = 'xapi_statements' and indexname <> 'xapi_statements_pkey'`,
  );
  for (const i of indexes) await db.execute(sql.raw(`drop index ${i.indexname}`));
  const chunk = 1_000_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await db.execute(
      sql.raw(`
      insert into xapi_statements (id, statement, content_hash, stored, "timestamp", voided, actor_ifi, verb_id, activity_id, related_agents,
        related_activities, authority_key)
      select g.id,
        jsonb_build_object('id', g.id, 'actor', jsonb_build_object('objectType', 'Agent', 'mbox', g.mbox),
          'verb', jsonb_build_object('id', g.verb), 'object', jsonb_build_object('objectType', 'Activity', 'id', g.act,
          'definition', jsonb_build_object('name', jsonb_build_object('vi', 'Bài học'))), 'result', '{"completion": true, "duration": "PT5M"}'::jsonb,
          'stored', g.iso, 'timestamp', g.iso, 'authority', '{"objectType": "Agent", "mbox": "mailto:bench@example.vn"}'::jsonb, 'version', '1.0.0'),
        md5(g.id::text), g.stored, g.stored, false, 'mbox:' || g.mbox, g.verb, g.act,
        array['mbox:' || g.mbox, 'mbox:mailto:bench@example.vn'], array[g.act], 'client:bench'
      from (
        select md5('xapi-bench-' || n)::uuid as id,
          'mailto:hoc.vien.' || (n % ${learners}) || '@example.vn' as mbox,
          '${LESSON}' || ((n::bigint * 7919) % ${activities}) as act,
          (array['http://adlnet.gov/expapi/verbs/experienced', 'http://adlnet.gov/expapi/verbs/progressed',
            'http://adlnet.gov/expapi/verbs/completed'])[1 + n % 3] as verb,
          timestamptz '2026-01-01T00:00:00Z' + n * interval '3 milliseconds' as stored,
          to_char((timestamptz '2026-01-01T00:00:00Z' + n * interval '3 milliseconds') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso
        from generate_series(${from}, ${to}) as n
      ) as g`),
    );
    log(`xapi: ${to.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} statements generated`);
  }
  for (const i of indexes) await db.execute(sql.raw(i.indexdef));
  await db.execute(sql`analyze xapi_statements`);
  log(`xapi: ${count.toLocaleString('en-US')} statements with indexes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Sequential GETs (one client: latency, not throughput); answers the p95 in ms. Anything but 200 fails. */
async function p95Of(paths: string[], origin: string, headers: Record<string, string>): Promise<number> {
  assertLoopback(origin);
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  try {
    for (const path of paths) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else reject(new Error(`GET ${path} answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
          });
        });
        req.on('error', reject);
        req.end();
      });
      times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.95,
  );
}

/** The plan PostgreSQL picks for a first page, on one line: its node types and the indexes they use. */
async function planOf(db: Db, where: string): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(
    db,
    sql.raw(`explain select id, stored, statement from xapi_statements where voided = false and ${where} order by stored desc, id desc limit 26`),
  );
  return rows
    .map((r) => r['QUERY PLAN'].replace(/^[\s>-]+/, '').replace(/\s+\(cost=.*$/, ''))
    .filter((l) => !l.startsWith('Filter') && !l.startsWith('Index Cond'))
    .join(' → ');
}

export const xapiQueryScenario: Scenario = {
  name: 'xapi.query',
  title: 'first page of GET /xapi/statements by agent and by activity (p95 of sequential requests) vs a bare Fastify GET',
  unit: 'ms p95',
  better: 'lower',
  rounds: { small: 2, province: 5 },
  async setup(ctx: BenchContext) {
    const volume = queryVolume[ctx.scale];
    const { learners, activities } = populationOf(volume.statements);
    const target: DatabaseTarget = ctx.databaseUrl
      ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl) }
      : { kind: 'pglite', dir: join(await tempDir('xapi-query'), 'pglite') };
    const database = await openTarget(target);
    const plans: Record<string, string> = {};
    try {
      await generateStatements(database.db, volume.statements, ctx.log);
      plans.agentPlan = await planOf(database.db, `actor_ifi = 'mbox:${learnerMbox(7)}'`);
      plans.activityPlan = await planOf(database.db, `activity_id = '${LESSON}3'`);
    } finally {
      await database.close();
    }
    const key = 'bench-lrs';
    const secret = randomBytes(24).toString('base64url');
    const { server } = await startApiWithTarget(ctx, target, { env: { LRS_DEMO_KEY: key, LRS_DEMO_SECRET: secret, RUN_WORKER: 'false' } });
    const headers = { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'x-experience-api-version': '1.0.3' };
    const bare = await sharedBare();
    const pick = (n: number) => Math.floor(Math.random() * n);
    const paths = (make: () => string) => Array.from({ length: volume.queries }, make);
    return {
      reference: {
        label: 'bare Fastify GET /bare',
        run: () =>
          p95Of(
            paths(() => '/bare'),
            bare.origin,
            {},
          ),
      },
      subjects: [
        {
          label: 'API GET /xapi/statements?agent=…&limit=25',
          run: () =>
            p95Of(
              paths(() => `/xapi/statements?limit=25&agent=${encodeURIComponent(JSON.stringify({ mbox: learnerMbox(pick(learners)) }))}`),
              server.origin,
              headers,
            ),
        },
        {
          label: 'API GET /xapi/statements?activity=…&limit=25',
          run: () =>
            p95Of(
              paths(() => `/xapi/statements?limit=25&activity=${encodeURIComponent(`${LESSON}${pick(activities)}`)}`),
              server.origin,
              headers,
            ),
        },
      ],
      notes: () => ({ statements: volume.statements, learners, activities, ...plans }),
      close: async () => {},
    };
  },
};
