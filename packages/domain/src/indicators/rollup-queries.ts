import type { IndicatorDefinition } from '@hts/contracts';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The one SQL meaning of each population and condition of an indicator definition. Every member query yields
 * rows (commune_id, target_group_id, attained_at): one per member of the population, attained_at being when
 * the numerator's condition came to hold (null when it does not). The rollup groups these; the drill-down
 * lists them. Both the incremental refresh (a few communes) and the full rebuild (every commune) run these
 * same queries, so they cannot disagree on what is counted.
 */

/** Vietnam has no daylight saving time: local midnight is 17:00 UTC the day before. */
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
export const vnMonthStart = (year: number, month1: number): Date => new Date(Date.UTC(year, month1 - 1, 1) - VN_OFFSET_MS);
export const yearStart = (year: number) => vnMonthStart(year, 1);
export const yearEnd = (year: number) => vnMonthStart(year + 1, 1);

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const textList = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

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
const communeFilter = (column: SQL, communeIds: string[] | null): SQL =>
  communeIds === null
    ? sql``
    : sql` and ${column} = any(${sql`array[${sql.join(
        communeIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::uuid[]`})`;
const unitKindFilter = (def: IndicatorDefinition, unitId: SQL): SQL =>
  def.population.unitKinds.length > 0
    ? sql` and ${unitId} in (select un.id from registry_units un where un.kind::text = any(${textList(def.population.unitKinds)}))`
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
      const kinds = p.kind === 'units' && p.unitKinds.length > 0 ? sql` and x.kind::text = any(${textList(p.unitKinds)})` : sql``;
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

/** Cells (commune × group) with numerator, denominator and the month-end numerators of the year. */
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
