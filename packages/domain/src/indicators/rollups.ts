import type { IndicatorDefinition } from '@hts/contracts';
import { type Db, indicatorDefinitions, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { Clock } from '../shared/deps.ts';
import { type IndicatorInput, indicatorsReading, isIndicatorInput, rollupCellsQuery, textList, uuidList } from './rollup-queries.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const INDICATORS_REFRESH_JOB = 'indicators.refresh';

/** Every stored definition version. */
export async function loadIndicatorDefinitions(db: Db): Promise<IndicatorDefinition[]> {
  const rows = await db.select({ definition: indicatorDefinitions.definition }).from(indicatorDefinitions);
  return rows.map((r) => r.definition).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id) || a.yearFrom - b.yearFrom);
}

/** For each indicator, the version whose years cover `year`. */
export function definitionsForYear(defs: readonly IndicatorDefinition[], year: number): IndicatorDefinition[] {
  return defs.filter((d) => d.yearFrom <= year && year <= d.yearTo);
}

/** Years kept in the rollups: every year some definition covers, up to the current one (later years have no records yet). */
export function rollupYears(defs: readonly IndicatorDefinition[], now: Date): number[] {
  const current = new Date(now.getTime() + 7 * 3600_000).getUTCFullYear();
  const years = new Set<number>();
  for (const d of defs) for (let y = d.yearFrom; y <= Math.min(d.yearTo, current); y++) years.add(y);
  return [...years].sort((a, b) => a - b);
}

/** What a refresh recomputes: some indicators (null = all) from some year on (null = every year). */
interface RefreshScope {
  indicatorIds: string[] | null;
  fromYear: number | null;
}
const EVERYTHING: RefreshScope = { indicatorIds: null, fromYear: null };

/**
 * Recomputes the rollup rows of the given communes (null = all) from raw records, replacing what was there,
 * inside the caller's transaction: one set-based INSERT … SELECT per indicator covering all its years. `scope`
 * narrows it to the indicators and years a change can have moved; rows outside it are kept as they are.
 */
async function recompute(
  tx: Tx,
  defs: readonly IndicatorDefinition[],
  communeIds: string[] | null,
  now: Date,
  scope: RefreshScope = EVERYTHING,
): Promise<number> {
  const db = tx as unknown as Db;
  const chosen = scope.indicatorIds === null ? defs : defs.filter((d) => scope.indicatorIds?.includes(d.id));
  if (chosen.length === 0) return 0;
  const conditions = [
    ...(communeIds === null ? [] : [sql`commune_id = any(${uuidList(communeIds)})`]),
    ...(scope.indicatorIds === null ? [] : [sql`indicator_id = any(${textList(scope.indicatorIds)})`]),
    ...(scope.fromYear === null ? [] : [sql`year >= ${scope.fromYear}`]),
  ];
  await db.execute(conditions.length === 0 ? sql`delete from indicator_rollups` : sql`delete from indicator_rollups where ${sql.join(conditions, sql` and `)}`);
  const years = rollupYears(defs, now).filter((y) => scope.fromYear === null || y >= scope.fromYear);
  let cells = 0;
  for (const def of chosen) {
    const covered = years.filter((y) => def.yearFrom <= y && y <= def.yearTo);
    if (covered.length === 0) continue;
    const rows = await queryRows<{ n: number }>(
      db,
      sql`with c as (${rollupCellsQuery(def, { years: covered, communeIds })}),
          ins as (insert into indicator_rollups (indicator_id, version, year, commune_id, target_group_id, numerator, denominator, numerator_by_month, computed_at)
            select ${def.id}, ${def.version}, c.year, c.commune_id, c.target_group_id, c.numerator, c.denominator, c.numerator_by_month, ${now.toISOString()}::timestamptz from c
            returning 1)
          select count(*)::int as n from ins`,
    );
    cells += rows[0]?.n ?? 0;
  }
  // the dashboards' cache key (see rollupStamp), bumped in this transaction so it moves when the cells do;
  // last, so concurrent refreshes wait on this row only for the instant before their commits
  await db.execute(sql`update indicator_rollup_state set version = version + 1 where id = 1`);
  return cells;
}

export interface RebuildResult {
  cells: number;
  years: number[];
  indicators: number;
  milliseconds: number;
}

/** Recomputes every rollup from raw records in one transaction; pending dirty marks are settled by it. */
export async function rebuildIndicatorRollups(db: Db, clock: Clock): Promise<RebuildResult> {
  const started = performance.now();
  const defs = await loadIndicatorDefinitions(db);
  const now = clock.now();
  // A rebuild usually follows a bulk load (an import, a restore, the bench's generator), when the planner's
  // statistics still describe near-empty tables: measured, the same rebuild took 49 s on a fresh load and 2 s
  // once the tables were analysed. Sampling the tables it reads costs a second or two at province scale.
  await db.execute(
    sql`analyze registry_people, registry_memberships, registry_units, registry_households, registry_clans, registry_communities, khuyen_hoc_members,
          person_title_awards, digital_skill_confirmations, collective_title_awards, course_completions, users, indicator_official_counts`,
  );
  const cells = await db.transaction(async (tx) => {
    await tx.execute(sql`delete from indicator_dirty_communes`);
    // the hash aggregates over millions of registry rows stay in memory instead of spilling to disk
    await tx.execute(sql`set local work_mem = '128MB'`);
    return recompute(tx, defs, null, now);
  });
  return { cells, years: rollupYears(defs, now), indicators: new Set(defs.map((d) => d.id)).size, milliseconds: Math.round(performance.now() - started) };
}

/**
 * Marks in one refresh batch at most this many communes for the planner to be told to walk indexes: a
 * commune's recompute touches its own people (92,000 in the largest) and their titles, confirmations and
 * memberships, where index lookups beat hashing the province's tables (measured on the synthetic province,
 * commune 07777, the four indicators a confirmation moves, one year: 3.7 s with the planner's hash joins, 1.2 s with
 * nested loops); for many communes at once the hashes win again.
 */
const INDEX_WALK_MAX_COMMUNES = 3;

/**
 * Drains the outbox: takes up to `batch` dirty communes (SKIP LOCKED, so workers share the work), recomputes
 * what their marks name and removes the marks in one transaction; repeats until none is left. A mark made
 * while a batch runs waits for it (the row is locked) and is taken by the next batch, so no change is lost.
 */
export async function refreshDirtyIndicators(db: Db, clock: Clock, batch = 20): Promise<{ communes: number; cells: number }> {
  const defs = await loadIndicatorDefinitions(db);
  let communes = 0;
  let cells = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const taken = await queryRows<{ commune_id: string; inputs: string[] | null; from_year: number | null }>(
        tx as unknown as Db,
        sql`delete from indicator_dirty_communes where commune_id in (
              select commune_id from indicator_dirty_communes order by marked_at limit ${batch} for update skip locked)
            returning commune_id, inputs, from_year`,
      );
      if (taken.length === 0) return 0;
      // as in the rebuild: the hashes over the province's titles and memberships stay in memory, not on disk
      // (JIT is off on every connection: see openDatabase)
      await tx.execute(sql`set local work_mem = '64MB'`);
      if (taken.length <= INDEX_WALK_MAX_COMMUNES) {
        await tx.execute(sql`set local enable_hashjoin = off`);
        await tx.execute(sql`set local enable_mergejoin = off`);
      }
      for (const [scope, ids] of groupByScope(defs, taken)) cells += await recompute(tx, defs, ids, clock.now(), scope);
      return taken.length;
    });
    if (done === 0) break;
    communes += done;
  }
  return { communes, cells };
}

/** The communes of a batch grouped by what their marks ask to recompute. */
function groupByScope(
  defs: readonly IndicatorDefinition[],
  taken: Array<{ commune_id: string; inputs: string[] | null; from_year: number | null }>,
): Array<[RefreshScope, string[]]> {
  const groups = new Map<string, [RefreshScope, string[]]>();
  for (const row of taken) {
    // a kind this code does not know (a mark from a newer release) recomputes everything rather than nothing
    const inputs = row.inputs?.every(isIndicatorInput) ? row.inputs : null;
    const scope: RefreshScope = { indicatorIds: inputs === null ? null : indicatorsReading(defs, inputs), fromYear: row.from_year };
    const key = `${scope.indicatorIds?.join(',') ?? '*'}|${scope.fromYear ?? '*'}`;
    const group = groups.get(key) ?? [scope, []];
    group[1].push(row.commune_id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface IndicatorChange {
  /** Communes whose records changed directly (a collective, an official count, an award's commune). */
  communeIds?: Array<string | null | undefined>;
  /** Platform accounts whose titles, confirmations or completions changed. */
  userIds?: string[];
  /** Registry people whose membership, group, age or commune changed. */
  registryPersonIds?: string[];
  /**
   * Set when the change is only evidence of these kinds (a completion, a title, a confirmation, an official
   * count): the refresh recomputes only the indicators that read them. Absent: the registry or accounts
   * changed, and every indicator of the communes is recomputed.
   */
  inputs?: IndicatorInput[];
  /**
   * The first year the change can move, when known: a title's or an official count's year, the local year a
   * completion or a confirmation took effect (those count in every year after). Cells of earlier years are
   * kept. Absent: every year.
   */
  fromYear?: number;
}

/** The year in Vietnam (UTC+7, no daylight saving time) at `at`: the rollups' years are local years. */
export const localYear = (at: Date): number => new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();

/**
 * THE interface for write paths (titles, confirmations, completions, registry and membership changes): call it
 * inside the transaction that makes the change. It marks every commune whose indicators may count the people
 * or collectives involved — the account's commune, the registry person's commune, the communes of their
 * Hội Khuyến học branch and of the units they belong to, and the communes on their title awards and
 * confirmations — and queues the refresh job, which recomputes them right after the commit. A commune marked
 * again before its refresh keeps one mark covering both changes (the union of inputs, the earlier year).
 * Call it before and after a change that moves someone between communes, so both sides are marked.
 */
export async function markIndicatorsDirty(tx: Tx | Db, change: IndicatorChange): Promise<void> {
  const db = tx as unknown as Db;
  const communes = (change.communeIds ?? []).filter((c): c is string => typeof c === 'string');
  const uuids = (ids: string[]) => (ids.length === 0 ? sql`array[]::uuid[]` : uuidList(ids));
  const users = uuids(change.userIds ?? []);
  const people = uuids(change.registryPersonIds ?? []);
  const inputs = change.inputs === undefined ? sql`null::text[]` : sql`${textList([...new Set(change.inputs)].sort())}`;
  // no year (or none to take the least of: Math.min() of nothing) means every year, never a narrower refresh
  const fromYear = Number.isInteger(change.fromYear) ? sql`${change.fromYear}::int` : sql`null::int`;
  // rows go in commune order, so two transactions marking overlapping communes lock them in the same order
  await db.execute(sql`
    with persons as (
      select p.id, p.commune_id, p.user_id from registry_people p where p.id = any(${people}) or p.user_id = any(${users})
    ), accounts as (
      select unnest(${users}) as id union select user_id from persons where user_id is not null
    ), marked as (
      select unnest(${uuids(communes)}) as commune_id
      union select commune_id from persons
      union select u.commune_id from users u where u.id in (select id from accounts)
      union select k.commune_id from khuyen_hoc_members k where k.person_id in (select id from persons)
      union select un.commune_id from registry_memberships ms join registry_units un on un.id = ms.unit_id where ms.person_id in (select id from persons)
      union select a.commune_id from person_title_awards a where a.user_id in (select id from accounts)
      union select c.commune_id from digital_skill_confirmations c where c.user_id in (select id from accounts)
    )
    insert into indicator_dirty_communes as d (commune_id, inputs, from_year)
    select commune_id, ${inputs}, ${fromYear} from marked where commune_id is not null order by commune_id
    on conflict (commune_id) do update set
      inputs = case when d.inputs is null or excluded.inputs is null then null
                 else array(select distinct i from unnest(d.inputs || excluded.inputs) i order by i) end,
      from_year = case when d.from_year is null or excluded.from_year is null then null else least(d.from_year, excluded.from_year) end`);
  await enqueueJob(db, INDICATORS_REFRESH_JOB, {}, { dedupeKey: INDICATORS_REFRESH_JOB, dedupeQueuedOnly: true });
}
