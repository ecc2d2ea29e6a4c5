import { queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import type { Cell, ProvincePlan } from '../population.ts';
import { KIND, lit, syntheticIdSql, uniform } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { CHUNK_ROWS, chunkCells, citizenColumns } from './citizens.ts';

/*
 * The programme's registry for the synthetic province: every citizen is a registry person linked to their
 * account, living in a thôn / tổ dân phố, most in a household, some in a clan, staff in learning units, a
 * few in Hội Khuyến học. ASSUMPTIONS for load shape, not statistics:
 *  - households of 3.6 people on average (the 2019 census figure; sizes here are 3 or 4), 95% of people in one;
 *  - about 2,500 people per village, 60% of people registered as members of their village's community;
 *  - 40% of households belong to a clan of about 120 people;
 *  - 85% of civil servants, managers, public employees, workers, entrepreneurs and armed forces are staff of a
 *    learning unit of their kind (agencies ~15 staff, schools ~30, enterprises ~80, armed-forces units ~50),
 *    unit sizes skewed (a few big units, many small);
 *  - Hội Khuyến học: every person of the hoi-vien-khuyen-hoc group plus 2% of people aged 40+, 70% trained
 *    (2023 to 2026), 8% cadres.
 * Members of a household are drawn across the commune's groups: a permutation (× a prime, mod population)
 * spreads citizen numbers, which run group by group, over households, villages and clans.
 */

const PEOPLE_PER_VILLAGE = 2500;
const PEOPLE_PER_CLAN = 120;
const UNIT_KIND_OF_GROUP: Record<string, string> = {
  'cong-chuc': 'agency',
  'can-bo-quan-ly': 'agency',
  'vien-chuc': 'school',
  'cong-nhan': 'enterprise',
  'doanh-nhan': 'enterprise',
  'luc-luong-vu-trang': 'armed_forces',
};
const STAFF_PER_UNIT: Record<string, number> = { agency: 15, school: 30, enterprise: 80, armed_forces: 50 };
export const UNIT_KINDS = ['agency', 'school', 'enterprise', 'armed_forces'] as const;
/** Spreads citizen numbers within a commune; bigger than any commune's population, so coprime with it. */
const SPREAD = 1_000_003;

export interface CommuneRegistry {
  index: number;
  code: string;
  type: 'commune' | 'ward';
  first: number;
  people: number;
  villages: { first: number; count: number };
  households: { first: number; count: number };
  clans: { first: number; count: number };
  units: Record<string, { first: number; count: number }>;
}

/** Collective counts and numbering per commune, from the plan's cells (numbers are 1-based, province-wide). */
export function planRegistry(plan: ProvincePlan): CommuneRegistry[] {
  const next = { village: 1, household: 1, clan: 1, unit: 1 };
  const out: CommuneRegistry[] = [];
  plan.communes.forEach((commune, index) => {
    const cells = plan.cells.filter((c) => c.communeCode === commune.code);
    const people = cells.reduce((a, c) => a + c.count, 0);
    const first = cells[0]?.first ?? 0;
    const range = (key: keyof typeof next, count: number) => {
      const r = { first: next[key], count };
      next[key] += count;
      return r;
    };
    const staff = new Map<string, number>();
    for (const c of cells) {
      const kind = UNIT_KIND_OF_GROUP[c.groupCode];
      if (kind) staff.set(kind, (staff.get(kind) ?? 0) + c.count);
    }
    const units: CommuneRegistry['units'] = {};
    for (const kind of UNIT_KINDS) {
      const n = staff.get(kind) ?? 0;
      units[kind] = range('unit', n === 0 ? 0 : Math.max(1, Math.round(n / (STAFF_PER_UNIT[kind] as number))));
    }
    out.push({
      index: index + 1,
      code: commune.code,
      type: commune.type,
      first,
      people,
      villages: range('village', people === 0 ? 0 : Math.max(1, Math.round(people / PEOPLE_PER_VILLAGE))),
      // household k (0-based) holds the spread indices i with floor(5i / 18) = k: 3 or 4 people, 3.6 on average
      households: range('household', people === 0 ? 0 : Math.floor(((people - 1) * 5) / 18) + 1),
      clans: range('clan', people === 0 ? 0 : Math.max(1, Math.round(people / PEOPLE_PER_CLAN))),
      units,
    });
  });
  return out;
}

/** Villages, communities, households, clans, learning units and Hội Khuyến học branches. */
export const collectivesStep: GeneratorStep = {
  name: 'registry collectives',
  async run({ plan, seed, exec }) {
    const communes = planRegistry(plan).filter((c) => c.people > 0);
    const rows: Record<string, number> = {};
    const values = (f: (c: CommuneRegistry) => string[]) => communes.flatMap(f).join(',\n');
    const sum = (f: (c: CommuneRegistry) => number) => communes.reduce((a, c) => a + f(c), 0);

    await exec(`
with v(commune, kind, first, cnt) as (values ${values((c) => [`(${lit(c.code)}, ${lit(c.type === 'ward' ? 'residential_group' : 'village')}, ${c.villages.first}, ${c.villages.count})`])}),
s as (
  select g.id as commune_id, g.code, v.kind, k, v.first + k as num from v join geo_units g on g.code = v.commune
  cross join lateral generate_series(0, v.cnt - 1) k
),
gv as (
  insert into geo_units (id, code, name, type, parent_id, source)
  select ${syntheticIdSql(KIND.village, seed, 's.num')}, s.code || '-T' || lpad((s.k + 1)::text, 3, '0'),
         case when s.kind = 'village' then 'Thôn ' else 'Tổ dân phố ' end || (s.k + 1), s.kind::geo_unit_type, s.commune_id, 'bench: synthetic'
  from s returning id
)
insert into registry_communities (id, commune_id, geo_unit_id, name)
select ${syntheticIdSql(KIND.community, seed, 's.num')}, s.commune_id, ${syntheticIdSql(KIND.village, seed, 's.num')},
       case when s.kind = 'village' then 'Thôn ' else 'Tổ dân phố ' end || (s.k + 1)
from s`);
    rows.geo_units = rows.registry_communities = sum((c) => c.villages.count);

    await exec(`
with h(commune, first, cnt, vfirst, vcnt) as (values ${values((c) => [`(${lit(c.code)}, ${c.households.first}, ${c.households.count}, ${c.villages.first}, ${c.villages.count})`])})
insert into registry_households (id, commune_id, village_id, code, name)
select ${syntheticIdSql(KIND.household, seed, 'h.first + k')}, g.id, ${syntheticIdSql(KIND.village, seed, 'h.vfirst + (k * h.vcnt) / h.cnt')},
       'HGD-' || (h.first + k), 'Hộ gia đình số ' || (k + 1)
from h join geo_units g on g.code = h.commune cross join lateral generate_series(0::bigint, (h.cnt - 1)::bigint) k`);
    rows.registry_households = sum((c) => c.households.count);

    await exec(`
with h(commune, first, cnt) as (values ${values((c) => [`(${lit(c.code)}, ${c.clans.first}, ${c.clans.count})`])})
insert into registry_clans (id, commune_id, name, name_key)
select ${syntheticIdSql(KIND.clan, seed, 'h.first + k')}, g.id, 'Dòng họ số ' || (k + 1), 'dong ho so ' || (k + 1)
from h join geo_units g on g.code = h.commune cross join lateral generate_series(0, h.cnt - 1) k`);
    rows.registry_clans = sum((c) => c.clans.count);

    const unitNames: Record<string, string> = { agency: 'Cơ quan', school: 'Trường', enterprise: 'Doanh nghiệp', armed_forces: 'Đơn vị vũ trang' };
    const unitValues = values((c) =>
      UNIT_KINDS.filter((k) => (c.units[k]?.count ?? 0) > 0).map((k) => `(${lit(c.code)}, ${lit(k)}, ${c.units[k]?.first}, ${c.units[k]?.count})`),
    );
    await exec(`
with u(commune, kind, first, cnt) as (values ${unitValues})
insert into registry_units (id, kind, commune_id, name, name_key)
select ${syntheticIdSql(KIND.unit, seed, 'u.first + k')}, u.kind::learning_unit_kind, g.id,
       (case u.kind ${Object.entries(unitNames)
         .map(([k, n]) => `when ${lit(k)} then ${lit(n)}`)
         .join(' ')} end) || ' số ' || (k + 1), u.kind || ' ' || (k + 1)
from u join geo_units g on g.code = u.commune cross join lateral generate_series(0, u.cnt - 1) k`);
    rows.registry_units = sum((c) => UNIT_KINDS.reduce((a, k) => a + (c.units[k]?.count ?? 0), 0));

    await exec(`
insert into khuyen_hoc_branches (id, commune_id, name, name_key)
select ${syntheticIdSql(KIND.khuyenHocBranch, seed, 'b.idx')}, g.id, 'Chi hội Khuyến học ' || g.name, 'chi hoi khuyen hoc ' || g.code
from (values ${communes.map((c) => `(${lit(c.code)}, ${c.index})`).join(', ')}) b(commune, idx) join geo_units g on g.code = b.commune`);
    rows.khuyen_hoc_branches = communes.length;
    return rows;
  },
};

/** Registry people (one per citizen, linked to the account), their memberships and Hội Khuyến học members. */
export const registryPeopleStep: GeneratorStep = {
  name: 'registry people',
  async run(ctx) {
    const registry = new Map(planRegistry(ctx.plan).map((c) => [c.code, c]));
    let people = 0;
    for (const chunk of chunkCells(ctx.plan.cells, CHUNK_ROWS)) {
      await ctx.db.transaction(async (tx) => {
        await tx.execute(sqlRaw('set local jit = off'));
        await registryPeopleSql(chunk, registry, ctx.seed, (statement) => tx.execute(sqlRaw(statement)));
      });
      people += chunk.reduce((a, c) => a + c.count, 0);
      ctx.log(`registry people: ${people.toLocaleString('en-US')} / ${ctx.plan.citizens.toLocaleString('en-US')}`);
    }
    // the draws live in SQL: count what they wrote
    const [n] = await queryRows<{ people: number; memberships: number; kh: number }>(
      ctx.db,
      sql`select (select count(*)::int from registry_people) as people, (select count(*)::int from registry_memberships) as memberships,
                 (select count(*)::int from khuyen_hoc_members) as kh`,
    );
    return { registry_people: n?.people ?? 0, registry_memberships: n?.memberships ?? 0, khuyen_hoc_members: n?.kh ?? 0 };
  },
};

const sqlRaw = (statement: string) => sql.raw(statement);

type Exec = (statement: string) => Promise<unknown>;

async function registryPeopleSql(cells: readonly Cell[], registry: Map<string, CommuneRegistry>, seed: number, exec: Exec): Promise<void> {
  const values = cells
    .map((c) => {
      const r = registry.get(c.communeCode) as CommuneRegistry;
      const kind = UNIT_KIND_OF_GROUP[c.groupCode];
      const unit = kind ? r.units[kind] : undefined;
      return `(${lit(c.communeCode)}, ${lit(c.groupCode)}, ${c.first}, ${c.count}, ${r.index}, ${r.first}, ${r.people}, ${r.households.first}, ${r.households.count}, ${r.villages.first}, ${r.villages.count}, ${r.clans.first}, ${r.clans.count}, ${unit?.first ?? 0}, ${unit?.count ?? 0})`;
    })
    .join(',\n');
  const col = citizenColumns('s.n', 's.grp', seed);
  const u = (salt: number) => uniform('s.n', seed, salt);
  // the person's household (0-based within the commune) from their spread index; village and clan follow the household
  await exec(`create temporary table bench_registry_s (n bigint, grp text, commune_idx int, commune_id uuid, group_id uuid, hh bigint, village bigint,
    clan bigint, in_clan boolean, unit bigint, age int, name text) on commit drop`);
  const base = `
insert into bench_registry_s
select s.n, s.grp, s.commune_idx, s.commune_id, s.group_id,
       s.hfirst + s.hk, s.vfirst + (s.hk * s.vcnt) / s.hcnt, s.clfirst + (s.hk * s.clcnt) / s.hcnt,
       ${uniform('s.hfirst + s.hk', seed, 40)} < 0.4,
       case when s.ucnt > 0 and ${u(43)} < 0.85 then s.ufirst + floor(power(${u(44)}, 2) * s.ucnt)::bigint end,
       (${col.age})::int, ${col.name}
from (
  select n, c.grp, c.commune_idx, g.id as commune_id, t.id as group_id, c.hfirst, c.hcnt, c.vfirst, c.vcnt, c.clfirst, c.clcnt, c.ufirst, c.ucnt,
         (((n - c.cfirst) * ${SPREAD}) % c.pop) * 5 / 18 as hk
  from (values ${values}) c(commune, grp, first, cnt, commune_idx, cfirst, pop, hfirst, hcnt, vfirst, vcnt, clfirst, clcnt, ufirst, ucnt)
  join geo_units g on g.code = c.commune
  join target_groups t on t.code = c.grp
  cross join lateral generate_series(c.first::bigint, (c.first + c.cnt - 1)::bigint) as n
) s`;
  await exec(base);
  const person = syntheticIdSql(KIND.registryPerson, seed, 's.n');
  await exec(`
insert into registry_people (id, full_name, name_key, birth_year, phone, commune_id, village_id, target_group_id, user_id, user_link_rule, match_key, source)
select ${person}, s.name, lower(s.name), 2026 - s.age, '+849' || lpad(s.n::text, 8, '0'), s.commune_id, ${syntheticIdSql(KIND.village, seed, 's.village')},
       s.group_id, ${syntheticIdSql(KIND.user, seed, 's.n')}, 'phone', 'bench:' || s.n, 'import'
from bench_registry_s s`);
  await exec(`
insert into registry_memberships (id, person_id, kind, household_id, clan_id, community_id, unit_id)
select ${syntheticIdSql(KIND.householdMembership, seed, 's.n')}, ${person}, 'household'::collective_kind, ${syntheticIdSql(KIND.household, seed, 's.hh')}, null::uuid, null::uuid, null::uuid
  from bench_registry_s s where ${u(41)} < 0.95
union all
select ${syntheticIdSql(KIND.clanMembership, seed, 's.n')}, ${person}, 'clan', null, ${syntheticIdSql(KIND.clan, seed, 's.clan')}, null, null
  from bench_registry_s s where s.in_clan
union all
select ${syntheticIdSql(KIND.communityMembership, seed, 's.n')}, ${person}, 'community', null, null, ${syntheticIdSql(KIND.community, seed, 's.village')}, null
  from bench_registry_s s where ${u(42)} < 0.6
union all
select ${syntheticIdSql(KIND.unitMembership, seed, 's.n')}, ${person}, 'unit', null, null, null, ${syntheticIdSql(KIND.unit, seed, 's.unit')}
  from bench_registry_s s where s.unit is not null`);
  await exec(`
insert into khuyen_hoc_members (id, person_id, branch_id, commune_id, role, joined_year, trained_on)
select ${syntheticIdSql(KIND.khuyenHocMember, seed, 's.n')}, ${person}, ${syntheticIdSql(KIND.khuyenHocBranch, seed, 's.commune_idx')}, s.commune_id,
       case when ${u(48)} < 0.08 then 'cadre' else 'member' end::khuyen_hoc_role, 2000 + floor(${u(49)} * 26)::int,
       case when ${u(46)} < 0.7 then date '2023-01-01' + floor(${u(47)} * 1400)::int end
from bench_registry_s s where s.grp = 'hoi-vien-khuyen-hoc' or (s.age >= 40 and ${u(45)} < 0.02)`);
}
