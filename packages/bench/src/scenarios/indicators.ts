import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DatabaseHandle, queryRows } from '@hts/db';
import { type SQL, sql } from 'drizzle-orm';
import { onCleanup } from '../fixtures/cleanup.ts';
import { benchContent, type DatabaseTarget, keptDatabase, openTarget, recordGeneration, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { type GenerationReport, generateProvince, indicatorSteps, SYNTHETIC_PASSWORD } from '../generator/generate.ts';
import { type ProvincePlan, planProvince } from '../generator/population.ts';
import { apiDir } from '../paths.ts';
import type { BenchContext, Scenario } from '../scenario.ts';
import { accessToken, startApiWithTarget } from '../servers/api.ts';
import type { ServerProcess } from '../servers/process.ts';
import { quantile } from '../stats.ts';

const percentile = (values: readonly number[], q: number) =>
  values.length === 0
    ? Number.NaN
    : quantile(
        [...values].sort((a, b) => a - b),
        q,
      );

const run = promisify(execFile);
const YEAR = 2025;
/** Requests per round of a dashboard side; its figure is the round's p95. */
const REQUESTS_PER_ROUND = { small: 40, province: 40 } as const;

/**
 * The four headline numbers by a live GROUP BY over the raw tables (the reference the rollups must beat),
 * written as a person would write it for PostgreSQL: hash joins to the title holders, the confirmed and the
 * course completers. (A `user_id in (select …)` inside the aggregate's FILTER is a subplan the planner cannot
 * hash once a million titles exceed work_mem: it ran for over seven minutes at province scale and would flatter
 * the ratio.) A member counts as trained by the association's register or by any course completed on the
 * platform before the year's end (the evidence step's completions).
 */
function liveHeadline(communeId: string | null): SQL {
  const at = (column: SQL) => (communeId === null ? sql`` : sql` and ${column} = ${communeId}`);
  return sql`
  with titled as (select distinct user_id from person_title_awards where year = ${YEAR} and title = 'cong-dan-hoc-tap' and revoked_at is null),
       digital as (select distinct user_id from digital_skill_confirmations where revoked_at is null and confirmed_at < '2026-01-01T00:00:00+07:00'),
       completers as (select distinct user_id from course_completions where completed_at < '2026-01-01T00:00:00+07:00')
  select 'adults-collectives-title' as id, count(t.user_id)::int as n, count(*)::int as d
    from registry_people p left join titled t on t.user_id = p.user_id
    where (p.birth_year is null or ${YEAR} - p.birth_year >= 18)${at(sql`p.commune_id`)}
      and exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind in ('household', 'clan', 'community'))
  union all
  select 'unit-staff-title', count(t.user_id)::int, count(*)::int
    from registry_people p left join titled t on t.user_id = p.user_id
    where exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind = 'unit')${at(sql`p.commune_id`)}
  union all
  select 'title-holders-digital', count(dg.user_id)::int, count(*)::int
    from person_title_awards a left join digital dg on dg.user_id = a.user_id
    where a.year = ${YEAR} and a.title = 'cong-dan-hoc-tap' and a.revoked_at is null${at(sql`a.commune_id`)}
  union all
  select 'khuyen-hoc-trained', count(*) filter (where (k.trained_on is not null and k.trained_on < '2026-01-01') or c.user_id is not null)::int, count(*)::int
    from khuyen_hoc_members k join registry_people p on p.id = k.person_id left join completers c on c.user_id = p.user_id where true${at(sql`k.commune_id`)}`;
}

const HEADLINE = ['adults-collectives-title', 'unit-staff-title', 'title-holders-digital', 'khuyen-hoc-trained'];

async function timed(db: DatabaseHandle['db'], query: SQL): Promise<number> {
  const t0 = performance.now();
  await queryRows(db, query);
  return performance.now() - t0;
}

interface IndicatorView {
  id: string;
  numerator: number;
  denominator: number;
}

/**
 * The synthetic province with its registry, rebuilt by `pnpm cli indicators rebuild` as a process, and the real
 * API on it. Both indicator scenarios of a run share it. PostgreSQL: the bench reads the API's own database;
 * PGlite (one process per data folder): the API runs on a copy of the folder and the bench reads the original.
 */
interface IndicatorProvince {
  plan: ProvincePlan;
  db: DatabaseHandle['db'];
  api: ServerProcess;
  generatedMs: number;
  rows: Record<string, number>;
  /** Generator steps a reused province was made without (their tables are empty). */
  lacking: string[];
  rebuildMs: number;
  rebuildLog: string;
  provinceToken: string;
  communeToken: string;
  communeCode: string;
  communeId: string;
}

const shared = new Map<string, Promise<IndicatorProvince>>();
function indicatorProvince(ctx: BenchContext): Promise<IndicatorProvince> {
  const key = `${ctx.scale}:${ctx.seed}`;
  let p = shared.get(key);
  if (!p) {
    p = buildIndicatorProvince(ctx);
    shared.set(key, p);
    onCleanup(async () => {
      shared.delete(key);
    });
  }
  return p;
}

/** What a kept province database remembers of its generation, so a later run can report it. */
interface KeptGeneration {
  scale: string;
  seed: number;
  /** The generator steps that made it (absent: made before the evidence step existed). */
  steps?: string[];
  ms: number;
  rows: Record<string, number>;
}

/**
 * Generating the province at full size takes the better part of an hour on two cores, so on PostgreSQL a run
 * may keep it (BENCH_KEEP_INDICATOR_DATABASE=1 prints the database's name instead of dropping it) and a later
 * run reuse it (BENCH_INDICATOR_DATABASE=<name>): the rebuild and everything after it are measured again,
 * the generation figure is the one recorded in the database when it was made. A reused database must match
 * the run's scale and seed, or the officers and numbers would not be the ones the plan expects.
 */
async function generatedIndicatorProvince(
  ctx: BenchContext,
): Promise<{ target: DatabaseTarget; report: Pick<GenerationReport, 'plan' | 'ms' | 'rows'>; lacking: string[] }> {
  const content = await benchContent();
  const reuse = process.env.BENCH_INDICATOR_DATABASE;
  if (reuse && ctx.databaseUrl) {
    const { target, report: kept } = await keptDatabase<KeptGeneration>(ctx.databaseUrl, reuse);
    if (!kept || kept.scale !== ctx.scale || kept.seed !== ctx.seed)
      throw new Error(
        `BENCH_INDICATOR_DATABASE=${reuse} holds ${kept ? `scale ${kept.scale}, seed ${kept.seed}` : 'no generation record'}, not scale ${ctx.scale}, seed ${ctx.seed}`,
      );
    ctx.log(`indicators: reusing the province in database ${reuse} (generated in ${(kept.ms / 1000).toFixed(1)} s)`);
    const steps = kept.steps ?? ['geography', 'citizens', 'staff', 'registry collectives', 'registry people', 'titles and confirmations'];
    const lacking = indicatorSteps.map((s) => s.name).filter((name) => !steps.includes(name));
    // said in the run's notes too: a figure from a province without evidence must not pass for one with it
    if (lacking.length > 0) ctx.log(`indicators: the kept province was made without the steps ${lacking.join(', ')}: their tables are empty`);
    return { target, report: { plan: planProvince(content, ctx.seed, ctx.scale), ms: kept.ms, rows: kept.rows }, lacking };
  }
  const keep = process.env.BENCH_KEEP_INDICATOR_DATABASE === '1' && ctx.databaseUrl !== undefined;
  const target: DatabaseTarget = ctx.databaseUrl
    ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl, undefined, { keep }) }
    : { kind: 'pglite', dir: join(await tempDir('indicators'), 'pglite') };
  ctx.log(`indicators: generating the province with its registry (${ctx.scale}) into ${target.kind}`);
  const generating = await openTarget(target);
  try {
    const report = await generateProvince(generating.db, { content, seed: ctx.seed, scale: ctx.scale, steps: indicatorSteps, log: ctx.log });
    ctx.log(`indicators: generated ${JSON.stringify(report.rows)} in ${(report.ms / 1000).toFixed(1)} s`);
    ctx.log(`indicators: per step ${report.steps.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}`);
    if (keep) {
      const kept: KeptGeneration = { scale: ctx.scale, seed: ctx.seed, steps: indicatorSteps.map((s) => s.name), ms: report.ms, rows: report.rows };
      await recordGeneration(generating.db, kept);
      ctx.log(
        `indicators: kept the province as database ${new URL((target as { url: string }).url).pathname.slice(1)} (BENCH_INDICATOR_DATABASE= to reuse it)`,
      );
    }
    return { target, report, lacking: [] };
  } finally {
    await generating.close();
  }
}

async function buildIndicatorProvince(ctx: BenchContext): Promise<IndicatorProvince> {
  const { target, report, lacking } = await generatedIndicatorProvince(ctx);
  // the rebuild runs as the operator runs it: `pnpm cli indicators rebuild`, a process of its own
  const env = target.kind === 'pglite' ? { DATA_DIR: target.dir.replace(/\/pglite$/, ''), DATABASE_URL: '' } : { DATABASE_URL: target.url };
  const r0 = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'indicators', 'rebuild'], {
    cwd: apiDir,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  const rebuildMs = performance.now() - r0;
  ctx.log(`indicators: ${stdout.trim()} (process ${(rebuildMs / 1000).toFixed(1)} s)`);
  let apiTarget = target;
  if (target.kind === 'pglite') {
    const dir = join(await tempDir('indicators-api'), 'pglite');
    await cp(target.dir, dir, { recursive: true });
    apiTarget = { kind: 'pglite', dir };
  }
  const { server: api } = await startApiWithTarget(ctx, apiTarget);
  const database = await openTarget(target, false);
  onCleanup(() => database.close());

  // the officers the staff step made: commune i's officer is number citizens + 1 + 2i, the first province officer follows them
  const { plan } = report;
  const staffEmail = (n: number) => `staff${n}.s${ctx.seed}@bench.hoctapso.vn`;
  const biggest = plan.communes.reduce((best, c, i) => (c.population > (plan.communes[best]?.population ?? 0) ? i : best), 0);
  const commune = plan.communes[biggest] as ProvincePlan['communes'][number];
  const provinceToken = await accessToken(api, staffEmail(plan.citizens + 1 + 2 * plan.communes.length), SYNTHETIC_PASSWORD);
  const communeToken = await accessToken(api, staffEmail(plan.citizens + 1 + 2 * biggest), SYNTHETIC_PASSWORD);
  const [c] = await queryRows<{ id: string }>(database.db, sql`select id from geo_units where code = ${commune.code}`);
  return {
    plan,
    db: database.db,
    api,
    generatedMs: report.ms,
    rows: report.rows,
    lacking,
    rebuildMs,
    rebuildLog: stdout.trim(),
    provinceToken,
    communeToken,
    communeCode: commune.code,
    communeId: c?.id as string,
  };
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** p95 (ms) of `count` sequential GETs. */
async function p95Of(url: string, token: string, count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await getJson(url, token);
    times.push(performance.now() - t0);
  }
  return percentile(times, 0.95);
}

/** The API's numbers must be the raw tables' numbers, or the ratio compares different things. */
async function checkAgainstLive(p: IndicatorProvince, url: string, token: string, communeId: string | null): Promise<string> {
  const live = await queryRows<{ id: string; n: number; d: number }>(p.db, liveHeadline(communeId));
  const served = await getJson<{ indicators: IndicatorView[] }>(url, token);
  for (const l of live) {
    const s = served.indicators.find((i) => i.id === l.id);
    if (!s || s.numerator !== l.n || s.denominator !== l.d)
      throw new Error(`${url}: ${l.id} = ${s?.numerator}/${s?.denominator} but the raw tables say ${l.n}/${l.d}`);
  }
  return live.map((l) => `${l.id} ${l.n}/${l.d}`).join('; ');
}

export const indicatorDashboardScenario: Scenario = {
  name: 'indicators.dashboard',
  title: 'officer dashboards over HTTP from the rollups (p95 per round) vs the four headline numbers by a live GROUP BY over the raw tables',
  unit: 'ms',
  better: 'lower',
  rounds: { small: 10, province: 10 },
  async setup(ctx) {
    const p = await indicatorProvince(ctx);
    const provinceUrl = `${p.api.origin}/api/indicators?year=${YEAR}`;
    const communeUrl = `${provinceUrl}&commune=${p.communeCode}`;
    const provinceNumbers = await checkAgainstLive(p, provinceUrl, p.provinceToken, null);
    const communeNumbers = await checkAgainstLive(p, communeUrl, p.communeToken, p.communeId);
    const communeLive: number[] = [];
    for (let i = 0; i < 5; i++) communeLive.push(await timed(p.db, liveHeadline(p.communeId)));
    const fromRollups = sql`select indicator_id as id, sum(numerator)::int as n, sum(denominator)::int as d from indicator_rollups
      where year = ${YEAR} and indicator_id = any(array[${sql.join(
        HEADLINE.map((h) => sql`${h}`),
        sql`, `,
      )}]::text[]) group by indicator_id`;
    const n = REQUESTS_PER_ROUND[ctx.scale];
    const [counts] = await queryRows<{ people: number; titles: number; digital: number; cells: number }>(
      p.db,
      sql`select (select count(*)::int from registry_people) as people, (select count(*)::int from person_title_awards) as titles,
                 (select count(*)::int from digital_skill_confirmations) as digital, (select count(*)::int from indicator_rollups) as cells`,
    );
    return {
      reference: {
        label: 'live GROUP BY of the four headline numbers over registry, titles, confirmations and completions (province)',
        run: () => timed(p.db, liveHeadline(null)),
      },
      subjects: [
        { label: `API GET /api/indicators?year=${YEAR}, province officer (p95 of ${n})`, run: () => p95Of(provinceUrl, p.provinceToken, n) },
        {
          label: `API GET /api/indicators?year=${YEAR}&commune=${p.communeCode}, commune officer (p95 of ${n})`,
          run: () => p95Of(communeUrl, p.communeToken, n),
        },
        { label: 'SQL: the four headline numbers from indicator_rollups', run: () => timed(p.db, fromRollups) },
      ],
      notes: () => ({
        'registry people': counts?.people ?? 0,
        'person titles': counts?.titles ?? 0,
        'digital-skill confirmations': counts?.digital ?? 0,
        'rollup cells': counts?.cells ?? 0,
        'rows generated': Object.values(p.rows).reduce((a, b) => a + b, 0),
        'generation (s)': Math.round(p.generatedMs / 100) / 10,
        ...(p.lacking.length > 0 ? { 'reused province made without the steps': p.lacking.join(', ') } : {}),
        'pnpm cli indicators rebuild, as a process (s)': Math.round(p.rebuildMs / 100) / 10,
        'rebuild says': p.rebuildLog,
        [`live GROUP BY for commune ${p.communeCode}, median of 5 (ms)`]: Math.round(percentile(communeLive, 0.5) * 10) / 10,
        'province headline numbers': provinceNumbers,
        [`commune ${p.communeCode} headline numbers`]: communeNumbers,
      }),
      close: async () => {},
    };
  },
};

/**
 * From an officer's digital-skill confirmation (POST, the real use case) to the commune dashboard showing it:
 * the write marks the commune dirty and queues `indicators.refresh`; the API's in-process worker, woken by the
 * enqueue's NOTIFY at commit, recomputes the commune; the bench polls the dashboard every 25 ms until the count moves.
 */
export const indicatorLagScenario: Scenario = {
  name: 'indicators.lag',
  title: 'a new digital-skill confirmation visible on the commune dashboard (POST → outbox → indicators.refresh → GET) vs the two requests alone',
  unit: 'ms',
  better: 'lower',
  rounds: { small: 8, province: 15 },
  warmup: 1,
  async setup(ctx) {
    const p = await indicatorProvince(ctx);
    const year = 2026;
    const url = `${p.api.origin}/api/indicators?year=${year}&commune=${p.communeCode}`;
    // adults of the commune with an active account and no live confirmation: one per round
    const candidates = (
      await queryRows<{ id: string }>(
        p.db,
        sql`select u.id from users u where u.commune_id = ${p.communeId} and u.status = 'active' and (u.birth_year is null or ${year} - u.birth_year >= 18)
              and u.id in (select user_id from user_roles where role = 'citizen')
              and not exists (select 1 from digital_skill_confirmations c where c.user_id = u.id and c.revoked_at is null)
            order by u.id limit 200`,
      )
    ).map((r) => r.id);
    const digitalAdults = async () =>
      (await getJson<{ indicators: IndicatorView[] }>(url, p.communeToken)).indicators.find((i) => i.id === 'digital-adults')?.numerator ?? -1;
    const confirm = async () => {
      const userId = candidates.shift();
      if (!userId) throw new Error(`commune ${p.communeCode} has no adult left without a digital-skill confirmation`);
      const res = await fetch(`${p.api.origin}/api/officer/digital-skill-confirmations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.communeToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId, note: 'bench: chứng chỉ Bình dân học vụ số' }),
      });
      if (res.status !== 201) throw new Error(`confirm ${userId}: ${res.status} ${await res.text()}`);
    };
    const untilAbove = async (before: number) => {
      const t0 = performance.now();
      while ((await digitalAdults()) <= before) {
        if (performance.now() - t0 > 120_000) throw new Error('a confirmation did not reach the dashboard within 2 minutes');
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const lags: number[] = [];
    return {
      reference: {
        label: 'the POST and one GET of the dashboard alone (no wait for the refresh)',
        run: async () => {
          const before = await digitalAdults();
          const t0 = performance.now();
          await confirm();
          await digitalAdults();
          const ms = performance.now() - t0;
          // let this confirmation reach the dashboard before the next round measures from a settled count
          await untilAbove(before);
          return ms;
        },
      },
      subjects: [
        {
          label: 'POST confirmation → dashboard shows it (polled every 25 ms)',
          run: async () => {
            const before = await digitalAdults();
            const t0 = performance.now();
            await confirm();
            await untilAbove(before);
            const ms = performance.now() - t0;
            lags.push(ms);
            return ms;
          },
        },
      ],
      notes: () => ({
        'lag median (ms)': Math.round(percentile(lags, 0.5)),
        'lag p95 (ms)': Math.round(percentile(lags, 0.95)),
        'lag samples (incl. warm-up)': lags.length,
        commune: p.communeCode,
      }),
      close: async () => {},
    };
  },
};
