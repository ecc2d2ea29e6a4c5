import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type DatabaseHandle, queryRows, seedGeography, seedTargetGroups } from '@hts/db';
import { sql } from 'drizzle-orm';
import { benchContent, type DatabaseTarget, openTarget, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { apiDir } from '../paths.ts';
import type { Scenario } from '../scenario.ts';

const run = promisify(execFile);
const YEAR = 2025;
/** Registry people per commune: 99 communes × this. */
const PEOPLE_PER_COMMUNE = { small: 300, province: 5_000 } as const;

/** The four headline numbers by a live GROUP BY over the raw tables (the reference the rollups must beat). */
const liveHeadline = sql`
  with titled as (select user_id from person_title_awards where year = ${YEAR} and title = 'cong-dan-hoc-tap' and revoked_at is null),
       digital as (select user_id from digital_skill_confirmations where revoked_at is null and confirmed_at < '2026-01-01T00:00:00+07:00')
  select 'adults-collectives-title' as id, count(*) filter (where p.user_id in (select user_id from titled))::int as n, count(*)::int as d
    from registry_people p where (p.birth_year is null or ${YEAR} - p.birth_year >= 18)
      and exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind in ('household', 'clan', 'community'))
  union all
  select 'unit-staff-title', count(*) filter (where p.user_id in (select user_id from titled))::int, count(*)::int
    from registry_people p where exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind = 'unit')
  union all
  select 'title-holders-digital', count(*) filter (where a.user_id in (select user_id from digital))::int, count(*)::int
    from person_title_awards a where a.year = ${YEAR} and a.title = 'cong-dan-hoc-tap' and a.revoked_at is null
  union all
  select 'khuyen-hoc-trained', count(*) filter (where k.trained_on is not null and k.trained_on < '2026-01-01')::int, count(*)::int
    from khuyen_hoc_members k`;

const fromRollups = sql`select indicator_id as id, sum(numerator)::int as n, sum(denominator)::int as d from indicator_rollups
  where year = ${YEAR} and indicator_id in ('adults-collectives-title', 'unit-staff-title', 'title-holders-digital', 'khuyen-hoc-trained') group by indicator_id`;

async function timed(db: DatabaseHandle['db'], query: ReturnType<typeof sql>): Promise<number> {
  const t0 = performance.now();
  await queryRows(db, query);
  return performance.now() - t0;
}

export const indicatorDashboardScenario: Scenario = {
  name: 'indicators.dashboard',
  title: 'province dashboard (four headline numbers) from the rollups vs the same numbers by a live GROUP BY over the raw tables',
  unit: 'ms',
  better: 'lower',
  rounds: { small: 10, province: 10 },
  async setup(ctx) {
    const content = await benchContent();
    const target: DatabaseTarget = ctx.databaseUrl
      ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl) }
      : { kind: 'pglite', dir: `${await tempDir('indicators')}/pglite` };
    let database = await openTarget(target);
    await seedGeography(database.db, content.province);
    await seedTargetGroups(database.db, content.targetGroups);
    const perCommune = PEOPLE_PER_COMMUNE[ctx.scale];
    const t0 = performance.now();
    // a synthetic registry: every person has an account; households of 4; every 10th in a unit;
    // 40% titled, 50% of the titled (and 20% of the rest) with digital skills; every 20th in Hội Khuyến học
    await database.db.execute(sql`insert into criteria_set_versions (id, code, version, kind, year_from, year_to, content_hash, definition, source)
      values ('bench@2025.1', 'bench', '2025.1', 'criteria_set', 2021, 2030, 'bench', '{}'::jsonb, 'bench'),
             ('bench-digital@2025.1', 'bench-digital', '2025.1', 'digital_skill_rule', 2021, 2030, 'bench', '{}'::jsonb, 'bench')`);
    await database.db.execute(sql`insert into users (full_name, birth_year, commune_id, target_group_id, password_hash)
      select 'Người ' || g.code || ' ' || i, 1940 + (i % 80), g.id, (select id from target_groups order by sort_order offset (i % 8) limit 1), 'x'
      from geo_units g cross join generate_series(1, ${perCommune}) i where g.type in ('commune', 'ward')`);
    await database.db.execute(sql`insert into registry_people (full_name, name_key, birth_year, commune_id, target_group_id, user_id, match_key)
      select u.full_name, lower(u.full_name), u.birth_year, u.commune_id, u.target_group_id, u.id, 'bench:' || u.id from users u where u.password_hash = 'x'`);
    await database.db.execute(sql`insert into registry_households (commune_id, name, code)
      select g.id, 'Hộ ' || i, 'h' || i from geo_units g cross join generate_series(1, ${Math.ceil(perCommune / 4)}) i where g.type in ('commune', 'ward')`);
    await database.db.execute(sql`insert into registry_units (commune_id, kind, name, name_key)
      select g.id, case when i % 2 = 0 then 'agency'::learning_unit_kind else 'enterprise'::learning_unit_kind end, 'Đơn vị ' || i, 'don vi ' || g.code || ' ' || i
      from geo_units g cross join generate_series(1, ${Math.max(2, Math.ceil(perCommune / 200))}) i where g.type in ('commune', 'ward')`);
    await database.db.execute(sql`with ranked as (select p.id, p.commune_id, row_number() over (partition by p.commune_id order by p.id) as r from registry_people p)
      insert into registry_memberships (person_id, kind, household_id)
      select ranked.id, 'household', h.id from ranked join registry_households h on h.commune_id = ranked.commune_id and h.code = 'h' || ((ranked.r - 1) / 4 + 1)`);
    await database.db.execute(sql`with ranked as (select p.id, p.commune_id, row_number() over (partition by p.commune_id order by p.id) as r from registry_people p),
        units as (select id, commune_id, row_number() over (partition by commune_id order by id) as k, count(*) over (partition by commune_id) as c from registry_units)
      insert into registry_memberships (person_id, kind, unit_id)
      select ranked.id, 'unit', units.id from ranked join units on units.commune_id = ranked.commune_id and units.k = (ranked.r % units.c) + 1 where ranked.r % 10 = 0`);
    await database.db.execute(
      sql`insert into khuyen_hoc_branches (commune_id, name, name_key) select id, 'Chi hội ' || name, 'chi hoi ' || code from geo_units where type in ('commune', 'ward')`,
    );
    await database.db.execute(sql`with ranked as (select p.id, p.commune_id, row_number() over (partition by p.commune_id order by p.id) as r from registry_people p)
      insert into khuyen_hoc_members (person_id, branch_id, commune_id, trained_on)
      select ranked.id, b.id, ranked.commune_id, case when ranked.r % 3 = 0 then null else date '2025-04-01' end from ranked join khuyen_hoc_branches b on b.commune_id = ranked.commune_id where ranked.r % 20 = 0`);
    await database.db.execute(sql`insert into person_title_awards (user_id, year, classification, score, criteria_set_version_id, commune_id, target_group_id, decision_number, decision_date, awarded_at)
      select u.id, ${YEAR}, 'dat', 85, 'bench@2025.1', u.commune_id, u.target_group_id, 'QĐ bench', '2025-10-01', timestamptz '2025-03-01' + (abs(hashtext(u.id::text)) % 280) * interval '1 day'
      from users u where u.password_hash = 'x' and abs(hashtext(u.id::text)) % 10 < 4`);
    await database.db.execute(sql`insert into digital_skill_confirmations (user_id, rule_version_id, source, commune_id, confirmed_at)
      select u.id, 'bench-digital@2025.1', 'import', u.commune_id, timestamptz '2025-02-01' + (abs(hashtext(u.id::text || 'd')) % 300) * interval '1 day'
      from users u where u.password_hash = 'x' and (case when exists (select 1 from person_title_awards a where a.user_id = u.id) then 50 else 20 end) > abs(hashtext(u.id::text || 'x')) % 100`);
    const generatedMs = performance.now() - t0;
    // the rebuild runs as the operator runs it: `pnpm cli indicators rebuild`, a process of its own
    await database.close();
    const env = target.kind === 'pglite' ? { DATA_DIR: target.dir.replace(/\/pglite$/, ''), DATABASE_URL: '' } : { DATABASE_URL: target.url };
    const r0 = performance.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'indicators', 'rebuild'], {
      cwd: apiDir,
      env: { ...process.env, ...env },
      maxBuffer: 1 << 20,
    });
    const rebuildMs = performance.now() - r0;
    ctx.log(stdout.trim());
    database = await openTarget(target, false);
    // the rollups must say what the raw tables say, or the ratio compares different things
    const live = await queryRows<{ id: string; n: number; d: number }>(database.db, liveHeadline);
    const rolled = await queryRows<{ id: string; n: number; d: number }>(database.db, fromRollups);
    for (const l of live) {
      const r = rolled.find((x) => x.id === l.id);
      if (!r || r.n !== l.n || r.d !== l.d) throw new Error(`rollup ${l.id} = ${r?.n}/${r?.d} but the raw tables say ${l.n}/${l.d}`);
    }
    const [people] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from registry_people`);
    return {
      reference: { label: 'live GROUP BY over registry, titles and confirmations', run: () => timed(database.db, liveHeadline) },
      subjects: [{ label: 'read the four numbers from indicator_rollups', run: () => timed(database.db, fromRollups) }],
      notes: () => ({
        'registry people': people?.n ?? 0,
        'synthetic data generated (ms)': Math.round(generatedMs),
        'pnpm cli indicators rebuild, as a process (ms)': Math.round(rebuildMs),
        'headline numbers': live.map((l) => `${l.id} ${l.n}/${l.d}`).join('; '),
      }),
      close: () => database.close(),
    };
  },
};
