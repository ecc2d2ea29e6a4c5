import { queryRows } from '@hts/db';
import { seedCriteria } from '@hts/domain';
import { sql } from 'drizzle-orm';
import { KIND, lit, syntheticIdSql, uniform } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { CHUNK_ROWS, chunkCells } from './citizens.ts';

/*
 * Titles and confirmations. ASSUMPTIONS for load shape, not statistics:
 *  - "Công dân học tập" only for the groups that have a criteria set in content/criteria, more each year
 *    (2023 5%, 2024 10%, 2025 22%, 2026 4% so far of those people, scaled by group: civil servants and
 *    Hội Khuyến học members about twice the farmers' rate), decided between 1 October and 27 November:
 *    about one million titles at province scale;
 *  - a digital-skill confirmation for 15% (farmers) to 85% (civil servants) of a group, 25 points more for
 *    the 2025 title holders, confirmed between March 2024 and November 2026, more of them later;
 *  - collective titles for 25–45% of households, clans, communities and units in 2024 and 2025, fewer in 2026;
 *  - the official count of adults per commune (base of "digital skills among adults") 6% above the registry's.
 */

export const TITLE_YEARS: Array<{ year: number; share: number }> = [
  { year: 2023, share: 0.05 },
  { year: 2024, share: 0.1 },
  { year: 2025, share: 0.22 },
  { year: 2026, share: 0.04 },
];
const TITLE_FACTOR: Record<string, number> = {
  'nong-dan': 1,
  'cong-nhan': 0.8,
  'cong-chuc': 2.2,
  'vien-chuc': 2.2,
  'doanh-nhan': 1.2,
  'can-bo-quan-ly': 2.2,
  'luc-luong-vu-trang': 1.5,
  'hoi-vien-khuyen-hoc': 2,
};
const DIGITAL_SHARE: Record<string, number> = {
  'nong-dan': 0.15,
  'cong-nhan': 0.35,
  'cong-chuc': 0.85,
  'vien-chuc': 0.8,
  'doanh-nhan': 0.6,
  'can-bo-quan-ly': 0.8,
  'luc-luong-vu-trang': 0.6,
  'hoi-vien-khuyen-hoc': 0.3,
  'hoc-sinh-sinh-vien': 0.5,
  'nguoi-dan-khac': 0.2,
};
const COLLECTIVE_TITLES = [
  { subject: 'household', table: 'registry_households', column: 'household_id', kind: KIND.householdTitle, shares: [0.25, 0.35, 0.08] },
  { subject: 'clan', table: 'registry_clans', column: 'clan_id', kind: KIND.clanTitle, shares: [0.2, 0.3, 0.05] },
  { subject: 'community', table: 'registry_communities', column: 'community_id', kind: KIND.communityTitle, shares: [0.3, 0.4, 0.1] },
  { subject: 'unit', table: 'registry_units', column: 'unit_id', kind: KIND.unitTitle, shares: [0.3, 0.45, 0.1] },
] as const;
const COLLECTIVE_YEARS = [2024, 2025, 2026];

const caseOf = (column: string, map: Record<string, number>, otherwise: number) =>
  `(case ${column} ${Object.entries(map)
    .map(([k, v]) => `when ${lit(k)} then ${v}`)
    .join(' ')} else ${otherwise} end)`;

/** The draw that decides whether citizen `n` holds the title of `year` (shared with the digital-skill boost). */
const titled = (n: string, grp: string, year: string, seed: number) =>
  `${uniform(`${n} * 8 + (${year} - 2020)`, seed, 50)} < (case ${year} ${TITLE_YEARS.map((y) => `when ${y.year} then ${y.share}`).join(' ')} else 0 end) * ${caseOf(grp, TITLE_FACTOR, 0)}`;

export const titlesStep: GeneratorStep = {
  name: 'titles and confirmations',
  async run(ctx) {
    const { seed } = ctx;
    // the criteria versions the awards point at, as the API seeds them on start
    await seedCriteria(
      ctx.db,
      ctx.content.criteria.map((c) => c.doc),
    );
    let done = 0;
    for (const chunk of chunkCells(ctx.plan.cells, CHUNK_ROWS)) {
      const values = chunk.map((c) => `(${lit(c.communeCode)}, ${lit(c.groupCode)}, ${c.first}, ${c.count})`).join(',\n');
      const cells = `with c(commune, grp, first, cnt) as (values ${values}),
s as (select n, c.grp, g.id as commune_id, t.id as group_id from c join geo_units g on g.code = c.commune join target_groups t on t.code = c.grp
      cross join lateral generate_series(c.first::bigint, (c.first + c.cnt - 1)::bigint) as n)`;
      await ctx.exec(`${cells},
cs as (select distinct on (target_group_id) target_group_id, id from criteria_set_versions where kind = 'criteria_set' order by target_group_id, year_from desc, id desc)
insert into person_title_awards (id, user_id, year, title, classification, score, criteria_set_version_id, commune_id, target_group_id, decision_number, decision_date, awarded_at)
select ${syntheticIdSql(KIND.personTitle, seed, 's.n * 8 + (y.year - 2020)')}, ${syntheticIdSql(KIND.user, seed, 's.n')}, y.year, 'cong-dan-hoc-tap',
       case when ${uniform('s.n', seed, 51)} < 0.3 then 'tot' else 'dat' end, 70 + floor(${uniform('s.n', seed, 52)} * 31)::int, cs.id, s.commune_id, s.group_id,
       'QĐ ' || (100 + y.year % 100) || '/QĐ-UBND', a.at::date, a.at
from s join cs on cs.target_group_id = s.group_id
cross join (values ${TITLE_YEARS.map((y) => `(${y.year})`).join(', ')}) y(year)
cross join lateral (select (y.year || '-10-01 08:00:00+07')::timestamptz + make_interval(days => floor(${uniform('s.n', seed, 53)} * 58)::int, hours => floor(${uniform('s.n', seed, 54)} * 9)::int) as at) a
where ${titled('s.n', 's.grp', 'y.year', seed)}`);
      await ctx.exec(`${cells}
insert into digital_skill_confirmations (id, user_id, rule_version_id, source, source_ref, commune_id, target_group_id, confirmed_at)
select ${syntheticIdSql(KIND.digitalSkill, seed, 's.n')}, ${syntheticIdSql(KIND.user, seed, 's.n')},
       (select id from criteria_set_versions where kind = 'digital_skill_rule' order by year_from desc, id desc limit 1), 'import', 'bench: Bình dân học vụ số',
       s.commune_id, s.group_id,
       timestamptz '2024-03-01 08:00:00+07' + make_interval(days => floor(sqrt(${uniform('s.n', seed, 56)}) * 995)::int, hours => floor(${uniform('s.n', seed, 57)} * 10)::int)
from s
where ${uniform('s.n', seed, 55)} < ${caseOf('s.grp', DIGITAL_SHARE, 0.2)} + case when ${titled('s.n', 's.grp', '2025', seed)} then 0.25 else 0 end`);
      done += chunk.reduce((a, c) => a + c.count, 0);
      ctx.log(`titles and confirmations: ${done.toLocaleString('en-US')} / ${ctx.plan.citizens.toLocaleString('en-US')} citizens`);
    }
    const rules = new Map(ctx.content.collectiveRules.map((r) => [r.doc.subject as string, r.doc]));
    for (const c of COLLECTIVE_TITLES) {
      const rule = rules.get(c.subject);
      if (!rule) continue;
      // the collective's own synthetic number (the last 12 hex digits of its id) keys its draws
      const num = `('x' || right(x.id::text, 12))::bit(48)::bigint`;
      await ctx.exec(`
insert into collective_title_awards (id, subject_kind, ${c.column}, commune_id, year, title, rule_version, decision_number, decision_date, created_at)
select ${syntheticIdSql(c.kind, seed, `${num} * 4 + (y.year - 2024)`)}, ${lit(c.subject)}, x.id, x.commune_id, y.year, ${lit(rule.title)}, ${lit(rule.id)},
       'QĐ ' || (200 + y.year % 100) || '/QĐ-UBND', a.at::date, a.at
from ${c.table} x
cross join (values ${COLLECTIVE_YEARS.map((y, i) => `(${y}, ${c.shares[i]})`).join(', ')}) y(year, share)
cross join lateral (select (y.year || '-10-15 09:00:00+07')::timestamptz + make_interval(days => floor(${uniform(num, seed, 60)} * 40)::int) as at) a
where ${uniform(`${num} * 4 + (y.year - 2024)`, seed, 61)} < y.share`);
    }
    // official counts of adults (the base of "digital skills among adults") for the years that use them
    await ctx.exec(`
insert into indicator_official_counts (count_key, year, commune_id, target_group_id, count, source_ref)
select 'adults', y.year, p.commune_id, null, round(count(*) * 1.06)::int, 'bench: synthetic'
from registry_people p cross join (values (2025), (2026)) y(year)
where p.birth_year is null or y.year - p.birth_year >= 18
group by y.year, p.commune_id`);
    const [n] = await queryRows<{ titles: number; digital: number; collective: number; official: number }>(
      ctx.db,
      sql`select (select count(*)::int from person_title_awards) as titles, (select count(*)::int from digital_skill_confirmations) as digital,
                 (select count(*)::int from collective_title_awards) as collective, (select count(*)::int from indicator_official_counts) as official`,
    );
    return {
      person_title_awards: n?.titles ?? 0,
      digital_skill_confirmations: n?.digital ?? 0,
      collective_title_awards: n?.collective ?? 0,
      indicator_official_counts: n?.official ?? 0,
    };
  },
};
