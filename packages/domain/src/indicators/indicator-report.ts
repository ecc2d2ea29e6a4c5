import type { IndicatorDefinition, IndicatorReport, IndicatorView, PublicIndicatorReport } from '@hts/contracts';
import { type Db, geoUnits, queryRows } from '@hts/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { type Actor, coversCommune, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock, RequestContext } from '../shared/deps.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { type IndicatorReportCache, rollupStamp } from './indicator-report-cache.ts';
import { definitionsForYear, loadIndicatorDefinitions } from './rollups.ts';
import { cellKey, isSmall, suppressCells } from './suppression.ts';

export const rateOf = (numerator: number, denominator: number): number | null => (denominator > 0 ? Math.round((numerator / denominator) * 1000) / 10 : null);

/** The target of the year; else the next milestone after it (province targets before national ones). */
export function targetFor(def: IndicatorDefinition, year: number): IndicatorView['target'] {
  const ahead = def.targets
    .filter((t) => t.year >= year)
    .sort((a, b) => a.year - b.year || (a.level === 'province' ? -1 : 1) - (b.level === 'province' ? -1 : 1));
  return ahead[0] ?? null;
}

async function definitionsOrNotFound(db: Db, year: number): Promise<IndicatorDefinition[]> {
  const all = await loadIndicatorDefinitions(db);
  const defs = definitionsForYear(all, year);
  if (defs.length === 0) {
    const from = Math.min(...all.map((d) => d.yearFrom));
    const to = Math.max(...all.map((d) => d.yearTo));
    throw fieldError(
      'not_found',
      '/query/year',
      all.length > 0 ? `no indicator is defined for ${year}; the definitions cover ${from}–${to}` : 'no indicator definitions are loaded',
    );
  }
  return defs;
}

interface RollupRow extends Record<string, unknown> {
  indicator_id: string;
  commune_id: string;
  code: string;
  name: string;
  group_code: string | null;
  numerator: number;
  denominator: number;
  numerator_by_month: number[];
  computed_at: string | Date;
}

async function rollupRows(db: Db, year: number, communeIds: string[] | null): Promise<RollupRow[]> {
  return queryRows<RollupRow>(
    db,
    sql`select r.indicator_id, r.commune_id, g.code, g.name, tg.code as group_code, r.numerator, r.denominator, r.numerator_by_month, r.computed_at
        from indicator_rollups r join geo_units g on g.id = r.commune_id left join target_groups tg on tg.id = r.target_group_id
        where r.year = ${year}${communeFilter(communeIds)}`,
  );
}

const communeFilter = (communeIds: string[] | null) =>
  communeIds === null
    ? sql``
    : sql` and r.commune_id = any(array[${sql.join(
        communeIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::uuid[])`;

interface IndicatorSummary extends Record<string, unknown> {
  indicator_id: string;
  computed_at: string | Date;
  /** [code, numerator, denominator] per commune with a cell */
  by_commune: Array<[string, number, number]>;
  /** [group code or null, numerator, denominator] */
  by_group: Array<[string | null, number, number]>;
  trend: number[];
}

/**
 * The dashboard's sums (per commune, per group, month-end trend) of every indicator of the year, added up in
 * the database: a dozen rows of JSON cross the wire instead of every cell, which is what keeps the province
 * view quick at 99 communes × 10 groups × 11 indicators.
 */
async function rollupSummaries(db: Db, year: number, communeIds: string[] | null): Promise<IndicatorSummary[]> {
  return queryRows<IndicatorSummary>(
    db,
    sql`with r as (select r.indicator_id, r.commune_id, r.target_group_id, r.numerator, r.denominator, r.numerator_by_month, r.computed_at
                   from indicator_rollups r where r.year = ${year}${communeFilter(communeIds)}),
        bc as (select x.indicator_id, json_agg(json_build_array(g.code, x.n, x.d)) as by_commune
               from (select indicator_id, commune_id, sum(numerator)::int as n, sum(denominator)::int as d from r group by 1, 2) x
               join geo_units g on g.id = x.commune_id group by x.indicator_id),
        bg as (select x.indicator_id, json_agg(json_build_array(tg.code, x.n, x.d) order by tg.sort_order nulls first) as by_group
               from (select indicator_id, target_group_id, sum(numerator)::int as n, sum(denominator)::int as d from r group by 1, 2) x
               left join target_groups tg on tg.id = x.target_group_id group by x.indicator_id),
        -- the month-end trend summed element by element in the same pass as the freshness, no row per month
        cm as (select indicator_id, min(computed_at) as computed_at, array[${sql.join(
          Array.from({ length: 12 }, (_, i) => sql.raw(`coalesce(sum(numerator_by_month[${i + 1}]), 0)::int`)),
          sql`, `,
        )}] as trend from r group by 1)
        select cm.indicator_id, cm.computed_at, bc.by_commune, bg.by_group, cm.trend
        from cm join bc on bc.indicator_id = cm.indicator_id join bg on bg.indicator_id = cm.indicator_id`,
  );
}

type CommuneRow = { id: string; code: string; name: string };

/** Whose dashboard: the province, or a set of communes (one asked for, or an officer's scope). */
type DashboardScope = { kind: 'province' } | { kind: 'commune'; communeIds: string[]; known?: CommuneRow[] };

/**
 * GET /api/indicators: every indicator of the year for the officer's scope, read from the rollups only.
 * The scope check is here: an officer sees the communes their role covers (a province scope covers all);
 * asking for a commune outside it is refused (and audited). With a cache, an unchanged view is served from
 * memory after one stamp read (see IndicatorReportCache).
 */
export async function getIndicators(
  deps: { db: Db; clock: Clock; indicatorCache?: IndicatorReportCache },
  actor: Actor,
  query: { year: number; commune?: string },
  ctx: RequestContext = {},
): Promise<IndicatorReport> {
  requireRole(actor, ['officer', 'admin']);
  const scope = await dashboardScope(deps.db, actor, query, ctx);
  const build = () => buildIndicatorReport(deps, scope, query.year);
  if (!deps.indicatorCache) return build();
  const key = scope.kind === 'province' ? `province:${query.year}` : `communes:${query.year}:${[...scope.communeIds].sort().join(',')}`;
  return deps.indicatorCache.get(key, await rollupStamp(deps.db), build);
}

async function dashboardScope(db: Db, actor: Actor, query: { commune?: string }, ctx: RequestContext): Promise<DashboardScope> {
  const officerScope = actor.roles.has('admin') ? 'all' : actor.scopes.get('officer');
  if (query.commune) {
    const [c] = await db
      .select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name, type: geoUnits.type })
      .from(geoUnits)
      .where(eq(geoUnits.code, query.commune));
    if (!c || (c.type !== 'commune' && c.type !== 'ward')) throw fieldError('not_found', '/query/commune', `no commune has the code ${query.commune}`);
    if (!actor.roles.has('admin') && !coversCommune(actor, ['officer'], c.id)) {
      await recordAudit(
        db,
        {
          action: 'auth.permission_denied',
          outcome: 'denied',
          actorUserId: actor.userId,
          subjectType: 'commune',
          subjectId: c.code,
          details: { what: 'indicators' },
        },
        ctx,
      );
      throw new DomainError('forbidden', `commune ${c.code} (${c.name}) is outside your scope`);
    }
    return { kind: 'commune', communeIds: [c.id], known: [c] };
  }
  if (officerScope === 'all') return { kind: 'province' };
  if (officerScope instanceof Set && officerScope.size > 0) return { kind: 'commune', communeIds: [...officerScope] };
  throw new DomainError('forbidden', 'your officer role has no commune in its scope');
}

async function scopeCommunes(db: Db, scope: DashboardScope): Promise<CommuneRow[]> {
  if (scope.kind === 'commune' && scope.known) return scope.known;
  const select = db.select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name }).from(geoUnits);
  // villages and residential groups are geo units too: only communes and wards are rows of the dashboard
  return scope.kind === 'province' ? select.where(inArray(geoUnits.type, ['commune', 'ward'])) : select.where(inArray(geoUnits.id, scope.communeIds));
}

async function buildIndicatorReport(deps: { db: Db; clock: Clock }, scope: DashboardScope, year: number): Promise<IndicatorReport> {
  const { db } = deps;
  const kind = scope.kind;
  const communes = await scopeCommunes(db, scope);
  const defs = await definitionsOrNotFound(db, year);
  const summaries = new Map((await rollupSummaries(db, year, kind === 'province' ? null : communes.map((c) => c.id))).map((r) => [r.indicator_id, r]));
  const nameOf = new Map(communes.map((c) => [c.code, c.name]));
  const indicators = defs.map((def): IndicatorView => {
    const summary = summaries.get(def.id);
    const byCommune = new Map<string, { code: string; name: string; numerator: number; denominator: number }>();
    for (const [code, numerator, denominator] of summary?.by_commune ?? [])
      byCommune.set(code, { code, name: nameOf.get(code) ?? code, numerator, denominator });
    // communes of the scope without a cell are listed with zeros, so a ranking shows every commune
    for (const c of communes) if (!byCommune.has(c.code)) byCommune.set(c.code, { code: c.code, name: c.name, numerator: 0, denominator: 0 });
    const numerator = (summary?.by_commune ?? []).reduce((s, c) => s + c[1], 0);
    const denominator = (summary?.by_commune ?? []).reduce((s, c) => s + c[2], 0);
    return {
      id: def.id,
      version: def.version,
      nameVi: def.nameVi,
      nameEn: def.nameEn,
      methodVi: def.methodVi,
      methodEn: def.methodEn,
      subject: def.subject,
      base: def.base,
      headline: def.headline,
      source: def.source,
      assumption: def.assumption,
      numerator,
      denominator,
      rate: rateOf(numerator, denominator),
      target: targetFor(def, year),
      byGroup: (summary?.by_group ?? []).map(([targetGroup, n, d]) => ({ targetGroup, numerator: n, denominator: d, rate: rateOf(n, d) })),
      byCommune: [...byCommune.values()]
        .map((v) => ({ ...v, rate: rateOf(v.numerator, v.denominator) }))
        .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.denominator - a.denominator || a.code.localeCompare(b.code)),
      trend: summary?.trend ?? Array.from({ length: 12 }, () => 0),
      computedAt: summary ? new Date(summary.computed_at).toISOString() : null,
    };
  });
  return {
    year,
    scope: { kind, communes: communes.map((c) => ({ code: c.code, name: c.name })).sort((a, b) => a.code.localeCompare(b.code)) },
    generatedAt: deps.clock.now().toISOString(),
    indicators,
  };
}

/**
 * GET /api/public/indicators: the province and commune headline rates, for anyone. Communes whose cell
 * reveals fewer than 5 people are hidden, and so are complements, so that the province total minus the
 * communes shown cannot give a hidden one away.
 */
export async function getPublicIndicators(
  deps: { db: Db; clock: Clock; indicatorCache?: IndicatorReportCache },
  query: { year: number },
): Promise<PublicIndicatorReport> {
  const build = () => buildPublicIndicators(deps, query.year);
  if (!deps.indicatorCache) return build();
  return deps.indicatorCache.get(`public:${query.year}`, await rollupStamp(deps.db), build);
}

async function buildPublicIndicators(deps: { db: Db; clock: Clock }, year: number): Promise<PublicIndicatorReport> {
  const query = { year };
  const defs = (await definitionsOrNotFound(deps.db, query.year)).filter((d) => d.headline);
  const rows = await rollupRows(deps.db, query.year, null);
  const communes = (
    await deps.db
      .select({ id: geoUnits.id, code: geoUnits.code, name: geoUnits.name, type: geoUnits.type })
      .from(geoUnits)
      .where(inArray(geoUnits.type, ['commune', 'ward']))
  ).sort((a, b) => a.code.localeCompare(b.code));
  return {
    year: query.year,
    generatedAt: deps.clock.now().toISOString(),
    indicators: defs.map((def) => {
      const cells = communes.map((c) => {
        const mine = rows.filter((r) => r.indicator_id === def.id && r.code === c.code);
        return {
          row: c.code,
          col: '',
          name: c.name,
          numerator: mine.reduce((s, r) => s + r.numerator, 0),
          denominator: mine.reduce((s, r) => s + r.denominator, 0),
        };
      });
      const { hidden, hiddenColTotals } = suppressCells(cells, { colTotals: true });
      const n = cells.reduce((s, c) => s + c.numerator, 0);
      const d = cells.reduce((s, c) => s + c.denominator, 0);
      const show = (numerator: number, denominator: number, suppressed: boolean) =>
        suppressed
          ? { suppressed, numerator: null, denominator: null, rate: null }
          : { suppressed, numerator, denominator, rate: rateOf(numerator, denominator) };
      return {
        id: def.id,
        version: def.version,
        nameVi: def.nameVi,
        nameEn: def.nameEn,
        methodVi: def.methodVi,
        methodEn: def.methodEn,
        target: targetFor(def, query.year),
        province: show(n, d, hiddenColTotals.has('') || isSmall(n, d)),
        communes: cells.map((c) => ({ code: c.row, name: c.name, ...show(c.numerator, c.denominator, hidden.has(cellKey(c.row, ''))) })),
      };
    }),
  };
}
