import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type DatabaseTarget, keptDatabase, openTarget, recordGeneration, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { insertStatementsSql, sqlUuid, withoutSecondaryIndexes } from '../generator/xapi-sql.ts';
import { assertLoopback } from '../load/http-load.ts';
import type { BenchContext, Scale, Scenario } from '../scenario.ts';
import { startApiWithTarget } from '../servers/api.ts';
import { sharedBare } from '../servers/bare.ts';
import { quantile } from '../stats.ts';

/** Statements stored before querying; learners and activities scale with them (see populationOf). */
export const queryVolume: Record<Scale, { statements: number; queries: number }> = {
  small: { statements: 20_000, queries: 60 },
  province: { statements: 10_000_000, queries: 400 },
};
const LESSON = 'https://hoc.bacninh.vn/xapi/activities/lesson/';
const COURSE = 'https://hoc.bacninh.vn/xapi/activities/course/';
const learnerMbox = (i: number) => `mailto:hoc.vien.${i}@example.vn`;
const AUTHORITY = 'mbox:mailto:bench@example.vn';
/** Lessons per course: a statement's parent course is its lesson number divided by this. */
const LESSONS_PER_COURSE = 10;
export const populationOf = (statements: number) => ({
  // ~500 statements per learner: 20,000 learners at 10 million
  learners: Math.max(10, Math.floor(statements / 500)),
  activities: Math.max(20, Math.floor(statements / 20_000)),
  trainers: 50,
});

/** The generator's `sqlUuid` in JS: the UUID of `text`, for queries that name generated registrations. */
function uuidOf(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}
/**
 * A uniform number in [0, 1) from n, the same on every run and server (Knuth's multiplicative hash, in
 * SQL): the generator needs skew without random().
 */
const uniform = (n: string, salt: number) => `(((${n}::bigint + ${salt}) * 2654435761) % 4294967296)::float8 / 4294967296`;

/**
 * Fills xapi_statements with `count` statements in SQL (INSERT … SELECT generate_series, a million rows
 * per statement, nothing crosses the wire; the INSERT is the generator's `insertStatementsSql`), deterministic,
 * shaped like a province's LRS:
 * - learners by mbox (~500 statements each), each statement on a lesson with its course as parent and a
 *   registration per learner and course;
 * - lessons skewed: the lesson number is ⌊A·u⁴⌋, so the first lesson holds ~1/5 of all statements and the
 *   first tenth of lessons more than half (a few popular lessons, a long tail);
 * - verbs 60 % experienced, 25 % progressed, 10 % completed, 5 % passed;
 * - every 1,000th statement is a trainer's "confirmed" StatementRef to the statement before it, and every
 *   5,000th a voiding of the statement before it (stored voided), so the StatementRef branches of a query
 *   have real rows to walk;
 * - stored 3 s apart (~a year at 10 million).
 * The secondary indexes are dropped first and rebuilt after (as a restore would), then ANALYZE.
 */
export async function generateStatements(db: Db, count: number, log: (m: string) => void): Promise<void> {
  const { learners, activities, trainers } = populationOf(count);
  const started = performance.now();
  const chunk = 1_000_000;
  await withoutSecondaryIndexes(db, 'xapi_statements', log, async () => {
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      await db.execute(
        sql.raw(
          insertStatementsSql(`
        select n, ${sqlUuid(`'xapi-bench-' || n`)} as id, l.stored,
          jsonb_build_object('objectType', 'Agent', 'mbox', l.mbox) as actor, 'mbox:' || l.mbox as actor_ifi, l.verb, null::jsonb as verb_display,
          '${LESSON}' || l.lesson as act, '{"name": {"vi": "Bài học"}}'::jsonb as definition,
          '${COURSE}' || (l.lesson / ${LESSONS_PER_COURSE}) as course,
          ${sqlUuid(`'xapi-bench-reg-' || l.learner || '-' || (l.lesson / ${LESSONS_PER_COURSE})`)} as reg,
          case when l.ref then ${sqlUuid(`'xapi-bench-' || (n - 1)`)} end as ref,
          '{"completion": true, "duration": "PT5M"}'::jsonb as result,
          '{"objectType": "Agent", "mbox": "mailto:bench@example.vn"}'::jsonb as authority, '${AUTHORITY}' as authority_ifi, 'client:bench' as authority_key,
          (n + 1) % 5000 = 0 as voided
        from generate_series(${from}, ${to}) as n,
          lateral (select timestamptz '2026-01-01T00:00:00Z' + n * interval '3 seconds' as stored,
            n % 1000 = 0 as ref,
            (n::bigint * 7919) % ${learners} as learner,
            floor(${activities} * power(${uniform('n', 0)}, 4))::int as lesson,
            ${uniform('n', 12345)} as v) as l0,
          lateral (select l0.*,
            case when l0.ref then 'mailto:giang.vien.' || (n % ${trainers}) || '@example.vn' else 'mailto:hoc.vien.' || l0.learner || '@example.vn' end as mbox,
            case when n % 5000 = 0 then 'http://adlnet.gov/expapi/verbs/voided'
              when n % 1000 = 0 then 'https://hoc.bacninh.vn/xapi/verbs/confirmed'
              when l0.v < 0.60 then 'http://adlnet.gov/expapi/verbs/experienced'
              when l0.v < 0.85 then 'http://adlnet.gov/expapi/verbs/progressed'
              when l0.v < 0.95 then 'http://adlnet.gov/expapi/verbs/completed'
              else 'http://adlnet.gov/expapi/verbs/passed' end as verb) as l`),
        ),
      );
      log(`xapi: ${to.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} statements generated`);
    }
  });
  await db.execute(sql`update xapi_statements s set ref_chain = true where s.ref_id is not null
    and exists (select 1 from xapi_statements t where t.id = s.ref_id and t.ref_id is not null)`);
  await db.execute(sql`update xapi_statements t set targeted = true where exists (select 1 from xapi_statements s where s.ref_id = t.id)`);
  await relatedRows(db, log);
  await db.execute(sql`analyze xapi_statements`);
  await db.execute(sql`analyze xapi_statement_related`);
  log(`xapi: ${count.toLocaleString('en-US')} statements with indexes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Fills xapi_statement_related from the generated statements' arrays, as the LRS's INSERT would have: its
 * primary key is dropped first and built after (one sort instead of millions of btree inserts).
 */
async function relatedRows(db: Db, log: (m: string) => void): Promise<void> {
  const t0 = performance.now();
  const pk = 'xapi_statement_related_kind_key_stored_statement_id_pk';
  await db.execute(sql.raw(`alter table xapi_statement_related drop constraint ${pk}`));
  await db.execute(sql`insert into xapi_statement_related (kind, key, stored, statement_id)
    select 'agent', k, s.stored, s.id from xapi_statements s, unnest(s.related_agents) k
    union all
    select 'activity', k, s.stored, s.id from xapi_statements s, unnest(s.related_activities) k`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    await tx.execute(sql.raw(`alter table xapi_statement_related add constraint ${pk} primary key (kind, key, stored, statement_id)`));
  });
  log(`xapi: xapi_statement_related filled and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Where the statements live. Generating 10 million takes over half an hour on two cores, so on PostgreSQL a
 * run may keep the store (BENCH_KEEP_XAPI_DATABASE=1 prints the database's name instead of dropping it) and
 * a later run reuse it (BENCH_XAPI_DATABASE=<name>; it must hold the run's number of statements): the
 * queries are measured again on the same rows, and the API's start migrates it to the code's schema.
 */
async function statementStore(ctx: BenchContext, statements: number): Promise<{ target: DatabaseTarget; reused: boolean }> {
  const reuse = process.env.BENCH_XAPI_DATABASE;
  if (reuse && ctx.databaseUrl) {
    const { target, report } = await keptDatabase<{ statements: number }>(ctx.databaseUrl, reuse);
    if (report?.statements !== statements)
      throw new Error(`BENCH_XAPI_DATABASE=${reuse} holds ${report ? `${report.statements} statements` : 'no generation record'}, not ${statements}`);
    ctx.log(`xapi: reusing ${statements.toLocaleString('en-US')} statements in database ${reuse}`);
    return { target, reused: true };
  }
  if (!ctx.databaseUrl) return { target: { kind: 'pglite', dir: join(await tempDir('xapi-query'), 'pglite') }, reused: false };
  const keep = process.env.BENCH_KEEP_XAPI_DATABASE === '1';
  return { target: { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl, undefined, { keep }) }, reused: false };
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

/** Sequential raw SQL queries on the same database (the reference of each query type); answers the p95 in ms. */
async function sqlP95Of(client: postgres.Sql, queries: Array<{ text: string; params: string[] }>): Promise<number> {
  const times: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await client.unsafe(q.text, q.params, { prepare: true });
    times.push(performance.now() - started);
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.95,
  );
}

/** One query type: its GET parameters and its SQL as one index scan would answer it, for the same value. */
interface QueryType {
  name: string;
  pick(): { params: Record<string, string>; where: string; value: string };
}

const PAGE = 25;
/**
 * The first page as one index scan: of the filter's (…, stored, id) index, or for related_* (`where` is
 * `related:agent` or `related:activity`) of xapi_statement_related's key, joined to the statements.
 */
const firstPageSql = (where: string) => {
  const related = /^related:(agent|activity) (.+)$/s.exec(where);
  if (related)
    return `select s.id, s.stored, s.statement from xapi_statement_related r join xapi_statements s on s.id = r.statement_id
      where r.kind = '${related[1]}' and r.key = ${related[2]} and s.voided = false order by r.stored desc, r.statement_id desc limit ${PAGE + 1}`;
  return `select id, stored, statement from xapi_statements where voided = false and ${where} order by stored desc, id desc limit ${PAGE + 1}`;
};

/** EXPLAIN (ANALYZE, BUFFERS) of a first page, on one line: its nodes, the time and the buffers it touched. */
async function planOf(db: Db, where: string, value: string): Promise<string> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(
    db,
    sql.raw(`explain (analyze, buffers) ${firstPageSql(where.replace('$1', `'${value.replaceAll("'", "''")}'`))}`),
  );
  const lines = rows.map((r) => r['QUERY PLAN'].trim());
  const nodes = lines
    .filter((l) => /^(->\s*)?[A-Z][A-Za-z ]+(Scan|Sort|Limit|Loop|Join|Heap|Index|Aggregate)/.test(l))
    .map((l) => l.replace(/^->\s*/, '').replace(/\s+\(cost=.*?\)\s*\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+).*$/, ' [$1 ms, $2 rows]'));
  const buffers = lines.find((l) => l.startsWith('Buffers:')) ?? '';
  const time = lines.find((l) => l.startsWith('Execution Time')) ?? '';
  return `${nodes.join(' → ')}; ${buffers}; ${time}`;
}

export const xapiQueryScenario: Scenario = {
  name: 'xapi.query',
  title: 'first page of GET /xapi/statements by agent, activity, verb, registration, related_* (p95 of sequential requests) vs a bare Fastify GET',
  unit: 'ms p95',
  better: 'lower',
  rounds: { small: 2, province: 5 },
  async setup(ctx: BenchContext) {
    // BENCH_XAPI_STATEMENTS: a smaller store than the scale's, for a machine that cannot generate 10 million in time
    const override = Number(process.env.BENCH_XAPI_STATEMENTS);
    const volume = { ...queryVolume[ctx.scale], ...(Number.isInteger(override) && override > 0 ? { statements: override } : {}) };
    const { learners, activities } = populationOf(volume.statements);
    const courses = Math.ceil(activities / LESSONS_PER_COURSE);
    const { target, reused } = await statementStore(ctx, volume.statements);
    const pick = (n: number) => Math.floor(Math.random() * n);
    const verbs = ['experienced', 'progressed', 'completed', 'passed'].map((v) => `http://adlnet.gov/expapi/verbs/${v}`);
    const types: QueryType[] = [
      {
        name: 'agent',
        pick: () => {
          const mbox = learnerMbox(pick(learners));
          return { params: { agent: JSON.stringify({ mbox }) }, where: 'actor_ifi = $1', value: `mbox:${mbox}` };
        },
      },
      {
        name: 'activity',
        pick: () => {
          const id = `${LESSON}${pick(activities)}`;
          return { params: { activity: id }, where: 'activity_id = $1', value: id };
        },
      },
      {
        name: 'verb',
        pick: () => {
          const id = verbs[pick(verbs.length)] as string;
          return { params: { verb: id }, where: 'verb_id = $1', value: id };
        },
      },
      {
        name: 'registration',
        pick: () => {
          // a learner's registration in one of the first three courses, where most statements are
          const uuid = uuidOf(`xapi-bench-reg-${pick(learners)}-${pick(Math.min(3, courses))}`);
          return { params: { registration: uuid }, where: 'registration = $1::uuid', value: uuid };
        },
      },
      {
        name: 'related_activities',
        pick: () => {
          const id = `${COURSE}${pick(courses)}`;
          return { params: { activity: id, related_activities: 'true' }, where: 'related:activity $1', value: id };
        },
      },
      {
        name: 'related_agents',
        pick: () => {
          const mbox = learnerMbox(pick(learners));
          return { params: { agent: JSON.stringify({ mbox }), related_agents: 'true' }, where: 'related:agent $1', value: `mbox:${mbox}` };
        },
      },
    ];
    const database = await openTarget(target);
    const plans: Record<string, string> = {};
    try {
      if (!reused) await generateStatements(database.db, volume.statements, ctx.log);
      if (process.env.BENCH_KEEP_XAPI_DATABASE === '1' && target.kind === 'postgres' && !reused) {
        await recordGeneration(database.db, { statements: volume.statements });
        ctx.log(`xapi: kept the statements as database ${new URL(target.url).pathname.slice(1)} (BENCH_XAPI_DATABASE= to reuse it)`);
      }
      for (const t of types) {
        const q = t.pick();
        plans[`${t.name}Plan`] = await planOf(database.db, q.where, q.value);
      }
    } finally {
      await database.close();
    }
    const key = 'bench-lrs';
    const secret = randomBytes(24).toString('base64url');
    const { server } = await startApiWithTarget(ctx, target, { env: { LRS_DEMO_KEY: key, LRS_DEMO_SECRET: secret, RUN_WORKER: 'false' } });
    const headers = { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'x-experience-api-version': '1.0.3' };
    // The raw SQL reference needs its own connection: on PGlite the API process holds the only one, so there
    // the reference is skipped (the small PGlite run checks the scenario works, not the ratio).
    const raw = target.kind === 'postgres' ? postgres(target.url, { max: 1, onnotice: () => {} }) : undefined;
    const rawP95: Record<string, number[]> = {};
    const bare = await sharedBare();
    return {
      reference: {
        label: 'bare Fastify GET /bare',
        run: () =>
          p95Of(
            Array.from({ length: volume.queries }, () => '/bare'),
            bare.origin,
            {},
          ),
      },
      subjects: types.map((t) => ({
        label: `API GET /xapi/statements?${Object.keys(t.pick().params).join('&')}&limit=${PAGE} (first page)`,
        run: async () => {
          const picks = Array.from({ length: volume.queries }, () => t.pick());
          if (raw) {
            const p95 = await sqlP95Of(
              raw,
              picks.map((q) => ({ text: firstPageSql(q.where), params: [q.value] })),
            );
            rawP95[t.name] = [...(rawP95[t.name] ?? []), p95];
          }
          return p95Of(
            picks.map((q) => `/xapi/statements?${new URLSearchParams({ ...q.params, limit: String(PAGE) })}`),
            server.origin,
            headers,
          );
        },
      })),
      notes: () => {
        const median = (xs: number[]) =>
          quantile(
            [...xs].sort((a, b) => a - b),
            0.5,
          );
        const rawNotes = Object.fromEntries(Object.entries(rawP95).map(([k, xs]) => [`${k}RawSqlP95Ms`, Number(median(xs).toFixed(2))]));
        return { statements: volume.statements, learners, activities, courses, ...rawNotes, ...plans };
      },
      close: async () => {
        await raw?.end({ timeout: 5 });
      },
    };
  },
};
