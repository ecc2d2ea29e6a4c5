import type { IndicatorDefinition } from '@hts/contracts';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The one SQL meaning of each population and condition of an indicator definition. Every member query yields
 * rows (commune_id, target_group_id, attained_at): one per member of the population, attained_at being when
 * the numerator's condition came to hold (null when it does not). The rollup groups these; the drill-down
 * lists them. The rollups (incremental refresh and full rebuild alike) run the set-based `rollupCellsQuery`
 * below, held by a test to the same numbers as grouping these rows.
 */

/** Vietnam has no daylight saving time: local midnight is 17:00 UTC the day before. */
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
export const vnMonthStart = (year: number, month1: number): Date => new Date(Date.UTC(year, month1 - 1, 1) - VN_OFFSET_MS);
export const yearStart = (year: number) => vnMonthStart(year, 1);
export const yearEnd = (year: number) => vnMonthStart(year + 1, 1);

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const textList = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
export const uuidList = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;

/**
 * The kinds of evidence a change can touch without touching the registry (people, memberships, collectives,
 * accounts, which every indicator reads): a refresh after such a change recomputes only the indicators
 * whose queries below read that kind (see `inputsOf`).
 */
export const INDICATOR_INPUTS = ['trained', 'person-title', 'digital-skills', 'collective-title', 'official-count'] as const;
export type IndicatorInput = (typeof INDICATOR_INPUTS)[number];
export const isIndicatorInput = (value: string): value is IndicatorInput => (INDICATOR_INPUTS as readonly string[]).includes(value);

/** The evidence kinds a definition's queries read besides the registry: keep in step with `setParts` and `conditionAt`. */
export function inputsOf(def: IndicatorDefinition): Set<IndicatorInput> {
  const inputs = new Set<IndicatorInput>();
  const numerator: Record<IndicatorDefinition['numerator']['kind'], IndicatorInput> = {
    trained: 'trained',
    'person-title': 'person-title',
    'digital-skills': 'digital-skills',
    'collective-title': 'collective-title',
    // the gate counts the members' person titles
    'unit-gate': 'person-title',
  };
  inputs.add(numerator[def.numerator.kind]);
  if (def.population.kind === 'title-holders') inputs.add('person-title');
  if (def.base === 'official') inputs.add('official-count');
  return inputs;
}

/** The ids of the indicators that read any of `inputs`. */
export function indicatorsReading(defs: readonly IndicatorDefinition[], inputs: readonly IndicatorInput[]): string[] {
  return [...new Set(defs.filter((d) => [...inputsOf(d)].some((i) => inputs.includes(i))).map((d) => d.id))].sort();
}

export interface MemberQueryOptions {
  year: number;
  /** Restrict to these communes (the incremental path); null = every commune (the rebuild). */
  communeIds: string[] | null;
  /** Extra column for the drill-down: the person (registry person or user) or collective behind the row. */
  withSubject?: boolean;
}

/** When a user's condition came to hold for the year, or null. `u` is an SQL expression for the user id. */
function conditionAt(def: IndicatorDefinition, year: number, u: SQL, khTrainedOn: SQL | null): SQL {
  const end = ts(yearEnd(year));
  const c = def.numerator;
  switch (c.kind) {
    case 'trained': {
      const courseFilter = c.courses.length > 0 ? sql` and cc.course_id in (select co.id from courses co where co.slug = any(${textList(c.courses)}))` : sql``;
      const completion = sql`(select min(cc.completed_at) from course_completions cc where cc.user_id = ${u} and cc.completed_at < ${end}${courseFilter})`;
      if (!khTrainedOn) return completion;
      // training outside the platform, recorded in the association's register (a date, read as local midnight)
      const outside = sql`(case when ${khTrainedOn} is not null and (${khTrainedOn}::timestamp at time zone 'Asia/Ho_Chi_Minh') < ${end} then ${khTrainedOn}::timestamp at time zone 'Asia/Ho_Chi_Minh' end)`;
      return sql`least(${completion}, ${outside})`;
    }
    case 'person-title':
      return sql`(select a.awarded_at from person_title_awards a where a.user_id = ${u} and a.year = ${year} and a.title = ${c.title ?? 'cong-dan-hoc-tap'} and a.revoked_at is null)`;
    case 'digital-skills':
      return sql`(select c.confirmed_at from digital_skill_confirmations c where c.user_id = ${u} and c.revoked_at is null and c.confirmed_at < ${end})`;
    default:
      throw new Error(`condition ${c.kind} does not apply to people`);
  }
}

const groupFilter = (def: IndicatorDefinition, column: SQL): SQL =>
  def.population.targetGroups.length > 0
    ? sql` and ${column} in (select tg.id from target_groups tg where tg.code = any(${textList(def.population.targetGroups)}))`
    : sql``;
const ageFilter = (def: IndicatorDefinition, year: number, birthYear: SQL): SQL =>
  def.population.minAge !== null ? sql` and (${birthYear} is null or ${year} - ${birthYear} >= ${def.population.minAge})` : sql``;
const communeFilter = (column: SQL, communeIds: string[] | null): SQL => (communeIds === null ? sql`` : sql` and ${column} = any(${uuidList(communeIds)})`);
const unitKindFilter = (def: IndicatorDefinition, unitId: SQL): SQL =>
  def.population.unitKinds.length > 0
    ? // compared as the enum, not as text: `kind::text` hides the column's statistics, the planner then guessed 112
      // enterprise units for 11,884 and hashed every membership of the province to refresh one commune (8 s)
      sql` and ${unitId} in (select un.id from registry_units un where un.kind = any(${textList(def.population.unitKinds)}::learning_unit_kind[]))`
    : sql``;

/** Rows (commune_id, target_group_id, attained_at[, subject_id]) of the population, for `registered` bases. */
export function memberQuery(def: IndicatorDefinition, opts: MemberQueryOptions): SQL {
  const { year, communeIds } = opts;
  const group = (col: SQL) => (def.byTargetGroup ? col : sql`null::uuid`);
  const subject = (col: SQL) => (opts.withSubject ? sql`, ${col} as subject_id` : sql``);
  const p = def.population;
  switch (p.kind) {
    case 'khuyen-hoc-members':
      return sql`select k.commune_id, ${group(sql`p.target_group_id`)} as target_group_id, ${conditionAt(def, year, sql`p.user_id`, sql`k.trained_on`)} as attained_at${subject(sql`p.id`)}
        from khuyen_hoc_members k join registry_people p on p.id = k.person_id
        where true${communeFilter(sql`k.commune_id`, communeIds)}${groupFilter(def, sql`p.target_group_id`)}${ageFilter(def, year, sql`p.birth_year`)}`;
    case 'adults-in-collectives':
    case 'unit-staff':
    case 'registered-people': {
      const membership =
        p.kind === 'adults-in-collectives'
          ? sql` and exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind in ('household', 'clan', 'community'))`
          : p.kind === 'unit-staff'
            ? sql` and exists (select 1 from registry_memberships ms where ms.person_id = p.id and ms.valid_to is null and ms.kind = 'unit'${unitKindFilter(def, sql`ms.unit_id`)})`
            : sql``;
      return sql`select p.commune_id, ${group(sql`p.target_group_id`)} as target_group_id, ${conditionAt(def, year, sql`p.user_id`, null)} as attained_at${subject(sql`p.id`)}
        from registry_people p
        where true${communeFilter(sql`p.commune_id`, communeIds)}${membership}${groupFilter(def, sql`p.target_group_id`)}${ageFilter(def, year, sql`p.birth_year`)}`;
    }
    case 'title-holders':
      return sql`select h.commune_id, ${group(sql`h.target_group_id`)} as target_group_id, ${conditionAt(def, year, sql`h.user_id`, null)} as attained_at${subject(sql`h.user_id`)}
        from person_title_awards h left join users hu on hu.id = h.user_id
        where h.year = ${year} and h.title = 'cong-dan-hoc-tap' and h.revoked_at is null${communeFilter(sql`h.commune_id`, communeIds)}${groupFilter(def, sql`h.target_group_id`)}${ageFilter(def, year, sql`hu.birth_year`)}`;
    case 'households':
    case 'clans':
    case 'communities':
    case 'units': {
      const [table, column] = (
        {
          households: ['registry_households', 'household_id'],
          clans: ['registry_clans', 'clan_id'],
          communities: ['registry_communities', 'community_id'],
          units: ['registry_units', 'unit_id'],
        } as const
      )[p.kind];
      const kinds = p.kind === 'units' && p.unitKinds.length > 0 ? sql` and x.kind = any(${textList(p.unitKinds)}::learning_unit_kind[])` : sql``;
      const c = def.numerator;
      let attained: SQL;
      if (c.kind === 'collective-title') {
        attained = sql`(select t.created_at from collective_title_awards t where t.${sql.raw(column)} = x.id and t.title = ${c.title} and t.year = ${year} and t.revoked_at is null)`;
      } else if (c.kind === 'unit-gate') {
        // the gate holds from the moment the k-th member got the title, k = ceil(threshold% of the members)
        const titled = sql`(select array_agg(a.awarded_at order by a.awarded_at)
            from registry_memberships ms join registry_people mp on mp.id = ms.person_id
            join person_title_awards a on a.user_id = mp.user_id and a.year = ${year} and a.title = ${c.title ?? 'cong-dan-hoc-tap'} and a.revoked_at is null
            where ms.unit_id = x.id and ms.kind = 'unit' and ms.valid_to is null)`;
        const members = sql`(select count(*) from registry_memberships ms where ms.unit_id = x.id and ms.kind = 'unit' and ms.valid_to is null)`;
        attained = sql`(case when ${members} > 0 then (${titled})[ceil(${c.threshold}::numeric * ${members} / 100)::int] end)`;
      } else throw new Error(`condition ${c.kind} does not apply to collectives`);
      return sql`select x.commune_id, null::uuid as target_group_id, ${attained} as attained_at${subject(sql`x.id`)}
        from ${sql.raw(table)} x where true${communeFilter(sql`x.commune_id`, communeIds)}${kinds}`;
    }
  }
}

/**
 * For `official` bases: the numerator counts accounts (users) matching the filters whose condition holds, and
 * the denominator is the officer-imported count for the commune, group and year.
 */
export function officialNumeratorQuery(def: IndicatorDefinition, opts: MemberQueryOptions): SQL {
  const { year, communeIds } = opts;
  const group = def.byTargetGroup ? sql`u.target_group_id` : sql`null::uuid`;
  const subject = opts.withSubject ? sql`, u.id as subject_id` : sql``;
  return sql`select * from (select u.commune_id, ${group} as target_group_id, ${conditionAt(def, year, sql`u.id`, null)} as attained_at${subject}
      from users u where u.status = 'active' and u.commune_id is not null${communeFilter(sql`u.commune_id`, communeIds)}${groupFilter(def, sql`u.target_group_id`)}${ageFilter(def, year, sql`u.birth_year`)}) m
    where m.attained_at is not null`;
}

/**
 * Cells (commune × group) of one year by grouping the per-person rows: the drill-down's definition, kept as
 * the reference the set-based `rollupCellsQuery` must equal (rollups.test.ts); too slow for a province.
 */
export function cellQuery(def: IndicatorDefinition, opts: MemberQueryOptions): SQL {
  const months = Array.from({ length: 12 }, (_, i) => sql`count(*) filter (where m.attained_at < ${ts(vnMonthStart(opts.year, i + 2))})::int`);
  const monthArray = sql`array[${sql.join(months, sql`, `)}]`;
  if (def.base === 'registered') {
    return sql`select m.commune_id, m.target_group_id, count(m.attained_at)::int as numerator, count(*)::int as denominator, ${monthArray} as numerator_by_month
      from (${memberQuery(def, opts)}) m group by m.commune_id, m.target_group_id`;
  }
  const group = def.byTargetGroup ? sql`oc.target_group_id` : sql`null::uuid`;
  const zeros = sql`array[0,0,0,0,0,0,0,0,0,0,0,0]::int[]`;
  return sql`select coalesce(n.commune_id, d.commune_id) as commune_id, coalesce(n.target_group_id, d.target_group_id) as target_group_id,
      coalesce(n.numerator, 0)::int as numerator, coalesce(d.denominator, 0)::int as denominator, coalesce(n.numerator_by_month, ${zeros}) as numerator_by_month
    from (select m.commune_id, m.target_group_id, count(*)::int as numerator, ${monthArray} as numerator_by_month
          from (${officialNumeratorQuery(def, opts)}) m group by m.commune_id, m.target_group_id) n
    full join (select oc.commune_id, ${group} as target_group_id, sum(oc.count)::int as denominator from indicator_official_counts oc
          where oc.count_key = ${def.officialCountKey} and oc.year = ${opts.year}${communeFilter(sql`oc.commune_id`, opts.communeIds)}
          group by oc.commune_id, ${group}) d
      on d.commune_id = n.commune_id and d.target_group_id is not distinct from n.target_group_id`;
}

/*
 * The set-based rollup. The per-person queries above answer "who is behind this number" for one commune and
 * year (the drill-down); grouping them gives the cells, but at province scale their correlated subqueries
 * run once per person, year and indicator. The rollup instead reads each population once for all its years:
 *   members  one row per member (commune, group, birth year, and pop_year when membership itself depends on
 *            the year, as for title holders), grouped by birth year before the years are crossed in;
 *   events   one row per member whose condition holds at some time: `ev_year` set when the condition belongs
 *            to one year (a title of that year: counted whenever it was awarded), null when it holds from
 *            `at` onwards (a confirmation, a training: counted in the years ending after `at`);
 * both grouped by the local (UTC+7) month of `at` before being spread over the years. Month index
 * k = year × 12 + month − 1, so "before the end of month i of year y" is k < y × 12 + i.
 * rollups.test.ts checks this against the grouped per-person query after a random history.
 */

const NO_GROUP = sql`'00000000-0000-0000-0000-000000000000'::uuid`;
const intList = (values: number[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::int[]`;

interface SetParts {
  /** (commune_id, target_group_id, birth_year, pop_year) per member. */
  members: SQL;
  /** (commune_id, target_group_id, birth_year, pop_year, ev_year, at) per member whose condition holds; reads `m` (the members). */
  events: SQL;
}

/** Members carry user_id and trained_on (people) or x_id (collectives) for the events to join on. */
function personEvents(def: IndicatorDefinition, years: SQL, khuyenHoc: boolean): SQL {
  const cols = sql`m.commune_id, m.target_group_id, m.birth_year, m.pop_year`;
  const c = def.numerator;
  switch (c.kind) {
    case 'trained': {
      const courseFilter = c.courses.length > 0 ? sql` and cc.course_id in (select co.id from courses co where co.slug = any(${textList(c.courses)}))` : sql``;
      // the user's first completion ever: it held in every year that ends after it. Looked up per member
      // through the completions' user index: a refresh of one commune (5,580 members in the largest) had joined
      // its members to their completers with hash joins off, a nested loop of 10.7 million comparisons (5 s)
      const first = sql`left join lateral (select min(cc.completed_at) as first_at from course_completions cc
          where cc.user_id = m.user_id${courseFilter}) f on true`;
      const outside = khuyenHoc ? sql`, m.trained_on::timestamp at time zone 'Asia/Ho_Chi_Minh'` : sql``;
      return sql`select * from (select ${cols}, null::int as ev_year, least(f.first_at${outside}) as at
          from m ${first}) t where t.at is not null`;
    }
    case 'person-title':
      return sql`select ${cols}, a.year as ev_year, a.awarded_at as at
        from m join person_title_awards a on a.user_id = m.user_id and a.year = any(${years}) and a.title = ${c.title ?? 'cong-dan-hoc-tap'} and a.revoked_at is null
          and (m.pop_year is null or a.year = m.pop_year)`;
    case 'digital-skills':
      return sql`select ${cols}, null::int as ev_year, c.confirmed_at as at
        from m join digital_skill_confirmations c on c.user_id = m.user_id and c.revoked_at is null`;
    default:
      throw new Error(`condition ${c.kind} does not apply to people`);
  }
}

function setParts(def: IndicatorDefinition, years: SQL, communeIds: string[] | null): SetParts {
  const group = (col: SQL) => (def.byTargetGroup ? col : sql`null::uuid`);
  const p = def.population;
  if (def.base === 'official') {
    const members = sql`select u.commune_id, ${group(sql`u.target_group_id`)} as target_group_id, u.birth_year, null::int as pop_year, u.id as user_id, null::date as trained_on
      from users u where u.status = 'active' and u.commune_id is not null${communeFilter(sql`u.commune_id`, communeIds)}${groupFilter(def, sql`u.target_group_id`)}`;
    return { members, events: personEvents(def, years, false) };
  }
  switch (p.kind) {
    case 'khuyen-hoc-members': {
      const members = sql`select k.commune_id, ${group(sql`p.target_group_id`)} as target_group_id, p.birth_year, null::int as pop_year, p.user_id, k.trained_on
        from khuyen_hoc_members k join registry_people p on p.id = k.person_id
        where true${communeFilter(sql`k.commune_id`, communeIds)}${groupFilter(def, sql`p.target_group_id`)}`;
      return { members, events: personEvents(def, years, true) };
    }
    case 'adults-in-collectives':
    case 'unit-staff':
    case 'registered-people': {
      const membership =
        p.kind === 'adults-in-collectives'
          ? sql` and p.id in (select ms.person_id from registry_memberships ms where ms.valid_to is null and ms.kind in ('household', 'clan', 'community'))`
          : p.kind === 'unit-staff'
            ? sql` and p.id in (select ms.person_id from registry_memberships ms where ms.valid_to is null and ms.kind = 'unit'${unitKindFilter(def, sql`ms.unit_id`)})`
            : sql``;
      const members = sql`select p.commune_id, ${group(sql`p.target_group_id`)} as target_group_id, p.birth_year, null::int as pop_year, p.user_id, null::date as trained_on
        from registry_people p where true${communeFilter(sql`p.commune_id`, communeIds)}${membership}${groupFilter(def, sql`p.target_group_id`)}`;
      return { members, events: personEvents(def, years, false) };
    }
    case 'title-holders': {
      const members = sql`select h.commune_id, ${group(sql`h.target_group_id`)} as target_group_id, hu.birth_year, h.year as pop_year, h.user_id, null::date as trained_on
        from person_title_awards h left join users hu on hu.id = h.user_id
        where h.year = any(${years}) and h.title = 'cong-dan-hoc-tap' and h.revoked_at is null${communeFilter(sql`h.commune_id`, communeIds)}${groupFilter(def, sql`h.target_group_id`)}`;
      return { members, events: personEvents(def, years, false) };
    }
    case 'households':
    case 'clans':
    case 'communities':
    case 'units': {
      const [table, column] = (
        {
          households: ['registry_households', 'household_id'],
          clans: ['registry_clans', 'clan_id'],
          communities: ['registry_communities', 'community_id'],
          units: ['registry_units', 'unit_id'],
        } as const
      )[p.kind];
      const kinds = p.kind === 'units' && p.unitKinds.length > 0 ? sql` and x.kind = any(${textList(p.unitKinds)}::learning_unit_kind[])` : sql``;
      const members = sql`select x.commune_id, null::uuid as target_group_id, null::int as birth_year, null::int as pop_year, x.id as x_id
        from ${sql.raw(table)} x where true${communeFilter(sql`x.commune_id`, communeIds)}${kinds}`;
      const cols = sql`m.commune_id, m.target_group_id, m.birth_year, m.pop_year`;
      const c = def.numerator;
      let events: SQL;
      if (c.kind === 'collective-title') {
        events = sql`select ${cols}, t.year as ev_year, t.created_at as at
          from m join collective_title_awards t on t.${sql.raw(column)} = m.x_id and t.title = ${c.title} and t.year = any(${years}) and t.revoked_at is null`;
      } else if (c.kind === 'unit-gate') {
        // the gate holds from the moment the k-th member got the year's title, k = ceil(threshold% of the members)
        const current = sql`ms.kind = 'unit' and ms.valid_to is null and ms.unit_id in (select m2.x_id from m m2)`;
        events = sql`select * from (select ${cols}, g.year as ev_year, (g.times)[ceil(${c.threshold}::numeric * s.members / 100)::int] as at
            from m
            join (select ms.unit_id, count(*) as members from registry_memberships ms where ${current} group by ms.unit_id) s on s.unit_id = m.x_id
            join (select ms.unit_id, a.year, array_agg(a.awarded_at order by a.awarded_at) as times
                  from registry_memberships ms join registry_people mp on mp.id = ms.person_id
                  join person_title_awards a on a.user_id = mp.user_id and a.year = any(${years}) and a.title = ${c.title ?? 'cong-dan-hoc-tap'} and a.revoked_at is null
                  where ${current} group by ms.unit_id, a.year) g on g.unit_id = m.x_id) t
          where t.at is not null`;
      } else throw new Error(`condition ${c.kind} does not apply to collectives`);
      return { members, events };
    }
  }
}

export interface RollupQueryOptions {
  /** The years to compute (each must lie within the definition's years). */
  years: number[];
  /** Restrict to these communes (the incremental path); null = every commune (the rebuild). */
  communeIds: string[] | null;
}

/**
 * Cells (year × commune × group) of one definition for all the given years, in one statement: year,
 * commune_id, target_group_id, numerator, denominator, numerator_by_month. The same numbers as grouping
 * `memberQuery` / `officialNumeratorQuery` per year (rollups.test.ts holds them to it).
 */
export function rollupCellsQuery(def: IndicatorDefinition, opts: RollupQueryOptions): SQL {
  const years = intList(opts.years);
  const { members, events } = setParts(def, years, opts.communeIds);
  const age = def.population.minAge !== null ? sql` and (x.birth_year is null or y.y - x.birth_year >= ${def.population.minAge})` : sql``;
  const months = Array.from({ length: 12 }, (_, i) => sql`coalesce(sum(x.n) filter (where x.k < y.y * 12 + ${i + 1}), 0)::int`);
  // a year-bound event (a title of the year) counts however late it was awarded; an open-ended one only if it came before the year's end
  const counted = sql`coalesce(sum(x.n) filter (where x.ev_year is not null or x.k < y.y * 12 + 12), 0)::int`;
  const localMonth = sql`(extract(year from (e.at at time zone 'UTC') + interval '7 hours')::int * 12 + extract(month from (e.at at time zone 'UTC') + interval '7 hours')::int - 1)`;
  const numerators = sql`select y.y as year, x.commune_id, x.target_group_id, ${counted} as numerator, array[${sql.join(months, sql`, `)}] as numerator_by_month
      from (select e.commune_id, e.target_group_id, e.birth_year, e.pop_year, e.ev_year, ${localMonth} as k, count(*) as n
            from e group by 1, 2, 3, 4, 5, 6) x
      join yrs y on (x.pop_year is null or x.pop_year = y.y) and (x.ev_year is null or x.ev_year = y.y)
      where true${age}
      group by 1, 2, 3`;
  const zeros = sql`array[0,0,0,0,0,0,0,0,0,0,0,0]::int[]`;
  const head = sql`with m as materialized (${members}), e as (${events}), yrs as (select unnest(${years}) as y)`;
  if (def.base === 'registered') {
    return sql`${head},
      d as (select y.y as year, x.commune_id, x.target_group_id, sum(x.n)::int as denominator
            from (select m.commune_id, m.target_group_id, m.birth_year, m.pop_year, count(*) as n from m group by 1, 2, 3, 4) x
            join yrs y on x.pop_year is null or x.pop_year = y.y
            where true${age}
            group by 1, 2, 3),
      n as (${numerators})
      select d.year, d.commune_id, d.target_group_id, coalesce(n.numerator, 0) as numerator, d.denominator, coalesce(n.numerator_by_month, ${zeros}) as numerator_by_month
      from d left join n on n.year = d.year and n.commune_id = d.commune_id and coalesce(n.target_group_id, ${NO_GROUP}) = coalesce(d.target_group_id, ${NO_GROUP})`;
  }
  const group = def.byTargetGroup ? sql`oc.target_group_id` : sql`null::uuid`;
  return sql`${head},
    n as (select * from (${numerators}) n0 where n0.numerator > 0),
    d as (select oc.year, oc.commune_id, ${group} as target_group_id, sum(oc.count)::int as denominator from indicator_official_counts oc
          where oc.count_key = ${def.officialCountKey} and oc.year = any(${years})${communeFilter(sql`oc.commune_id`, opts.communeIds)}
          group by 1, 2, 3)
    select coalesce(n.year, d.year) as year, coalesce(n.commune_id, d.commune_id) as commune_id, coalesce(n.target_group_id, d.target_group_id) as target_group_id,
      coalesce(n.numerator, 0) as numerator, coalesce(d.denominator, 0) as denominator, coalesce(n.numerator_by_month, ${zeros}) as numerator_by_month
    from n full join d on d.year = n.year and d.commune_id = n.commune_id and coalesce(d.target_group_id, ${NO_GROUP}) = coalesce(n.target_group_id, ${NO_GROUP})`;
}
