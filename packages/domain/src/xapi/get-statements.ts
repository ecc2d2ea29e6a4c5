import { type Db, queryRows, xapiAttachments, xapiStatementRelated, xapiStatements } from '@hts/db';
import { and, arrayContains, asc, desc, eq, gt, inArray, isNotNull, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Clock } from '../shared/deps.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { agentIfi, type JsonObject } from './agents.ts';
import type { AttachmentContent } from './attachments.ts';
import { acceptedLanguages, canonicalStatement } from './canonical-format.ts';
import { isIri, isPlainObject, isTimestamp, isUuid } from './formats.ts';
import { canReadAll, type LrsPrincipal, refuseLaunchToken, requireRead } from './principal.ts';
import { statementProblems } from './validate-statement.ts';

/** The GET /xapi/statements query parameters, as strings from the URL. */
export interface StatementQuery {
  statementId?: string;
  voidedStatementId?: string;
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  related_activities?: string;
  related_agents?: string;
  since?: string;
  until?: string;
  limit?: string;
  format?: string;
  attachments?: string;
  ascending?: string;
  /** Our keyset cursor, carried in the `more` link. */
  cursor?: string;
}

export type StatementAnswer = ({ kind: 'one'; statement: JsonObject } | { kind: 'many'; result: { statements: JsonObject[]; more: string } }) & {
  /** With attachments=true: the content of the attachments the statements declare (those the LRS holds). */
  attachments?: AttachmentContent[];
};

/** The stored content of the attachments the statements declare, for attachments=true answers. */
async function attachmentsOf(db: Db, statements: JsonObject[]): Promise<AttachmentContent[]> {
  const hashes = [
    ...new Set(statements.flatMap((s) => (Array.isArray(s.attachments) ? (s.attachments as JsonObject[]).map((a) => String(a.sha2).toLowerCase()) : []))),
  ];
  if (hashes.length === 0) return [];
  const rows = await db.select().from(xapiAttachments).where(inArray(xapiAttachments.sha2, hashes));
  return rows.map((r) => ({ sha2: r.sha2, contentType: r.contentType, content: Buffer.from(r.content) }));
}

export const MAX_PAGE = 500;
const formats = new Set(['exact', 'ids', 'canonical']);
const single = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);

const bool = (v: string | undefined, field: string): boolean => {
  if (v === undefined) return false;
  if (v === 'true' || v === 'false') return v === 'true';
  throw fieldError('validation_failed', `/querystring/${field}`, 'must be true or false');
};

function parseAgent(raw: string): string {
  let agent: unknown;
  try {
    agent = JSON.parse(raw);
  } catch {
    throw fieldError('validation_failed', '/querystring/agent', 'must be an Agent or Group as JSON');
  }
  const problems = statementProblems({ actor: agent, verb: { id: 'http://x.y/z' }, object: { id: 'http://x.y/z' } }, '');
  const ifi = agentIfi(agent);
  if (problems.length > 0 || !ifi) throw fieldError('validation_failed', '/querystring/agent', 'must be an Agent or identified Group with one identifier');
  return ifi;
}

const ifiKeys = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

/** An Agent or Group reduced to its identifier (anonymous groups keep their members, reduced). */
function agentIds(a: unknown): unknown {
  if (!isPlainObject(a)) return a;
  const out: JsonObject = a.objectType ? { objectType: a.objectType } : {};
  for (const k of ifiKeys) if (a[k] !== undefined) out[k] = a[k];
  if (!agentIfi(a) && Array.isArray(a.member)) out.member = a.member.map(agentIds);
  return out;
}

const activityIds = (a: unknown) => (isPlainObject(a) ? { objectType: 'Activity', id: a.id } : a);

/** A statement as the `ids` format asks: agents and groups reduced to their identifier, activities to their id. */
function idsOnly(s: JsonObject): JsonObject {
  const out: JsonObject = { ...s, actor: agentIds(s.actor) };
  const o = s.object as JsonObject;
  const type = o.objectType ?? 'Activity';
  if (type === 'Activity') out.object = activityIds(o);
  else if (type === 'Agent' || type === 'Group') out.object = agentIds(o);
  else if (type === 'SubStatement') out.object = idsOnly(o);
  if (s.authority) out.authority = agentIds(s.authority);
  if (isPlainObject(s.context)) {
    const c: JsonObject = { ...s.context };
    if (c.instructor) c.instructor = agentIds(c.instructor);
    if (c.team) c.team = agentIds(c.team);
    if (isPlainObject(c.contextActivities))
      c.contextActivities = Object.fromEntries(
        Object.entries(c.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v.map(activityIds) : activityIds(v)]),
      );
    out.context = c;
  }
  return out;
}

const encodeCursor = (stored: Date, id: string) => Buffer.from(`${stored.toISOString()}|${id}`).toString('base64url');
function decodeCursor(raw: string): { stored: Date; id: string } {
  const [stored, id] = Buffer.from(raw, 'base64url').toString().split('|');
  if (!stored || !id || !isTimestamp(stored) || !isUuid(id)) throw fieldError('validation_failed', '/querystring/cursor', 'is not a cursor this LRS gave out');
  return { stored: new Date(stored), id };
}

/** The query parameters that are neither time nor sequence: a StatementRef's target may meet them. */
interface Filters {
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedAgents: boolean;
  relatedActivities: boolean;
}

const target = alias(xapiStatements, 't');
/** The targeted statements counted to choose the StatementRef plan (pageRows). */
const counted = alias(xapiStatements, 'c');
/**
 * From this many targeted statements meeting a query's filters on, its StatementRef branch walks the
 * StatementRefs in stored order instead of starting from the targets (pageRows).
 */
export const POPULAR_TARGETS = 200;
type StatementTable = typeof xapiStatements | typeof target | typeof counted;
type Row = { id: string; stored: Date; statement: JsonObject };

/** The filters as conditions on one row of `t` (the statement itself, or a target under an alias). */
function filterConditions(t: StatementTable, f: Filters, agentAs: 'actor' | 'object' | 'either' = 'either'): SQL[] {
  const out: SQL[] = [];
  if (f.agent !== undefined) {
    if (f.relatedAgents) out.push(arrayContains(t.relatedAgents, [f.agent]));
    else if (agentAs === 'actor') out.push(eq(t.actorIfi, f.agent));
    else if (agentAs === 'object') out.push(eq(t.objectAgentIfi, f.agent), sql`${t.actorIfi} is distinct from ${f.agent}`);
    else out.push(or(eq(t.actorIfi, f.agent), eq(t.objectAgentIfi, f.agent)) as SQL);
  }
  if (f.verb !== undefined) out.push(eq(t.verbId, f.verb));
  if (f.activity !== undefined) out.push(f.relatedActivities ? arrayContains(t.relatedActivities, [f.activity]) : eq(t.activityId, f.activity));
  if (f.registration !== undefined) out.push(eq(t.registration, f.registration));
  return out;
}

/** Time and sequence bounds (since, until, the cursor) as conditions on a pair of (stored, id) columns. */
type Range = (stored: AnyPgColumn, id: AnyPgColumn) => SQL[];

/**
 * The page of statements that meet the filters themselves, each part one ordered index scan:
 * - related_agents / related_activities: a backward range scan of xapi_statement_related's key, joined to the
 *   statements (which drops voided ones and applies the other filters);
 * - "agent" without related_agents: as actor and as object, two scans (one OR would make PostgreSQL collect
 *   every match and sort it);
 * - otherwise the index of the filter (or of stored order).
 */
function directParts(db: Db, base: (SQL | undefined)[], range: Range, f: Filters, ascending: boolean, take: number): SQLWrapper[] {
  const columns = { id: xapiStatements.id, stored: xapiStatements.stored, statement: xapiStatements.statement };
  const byRelated: { kind: 'agent' | 'activity'; key: string } | undefined =
    f.relatedAgents && f.agent !== undefined
      ? { kind: 'agent', key: f.agent }
      : f.relatedActivities && f.activity !== undefined
        ? { kind: 'activity', key: f.activity }
        : undefined;
  if (byRelated) {
    const r = xapiStatementRelated;
    return [
      db
        .select(columns)
        .from(r)
        .innerJoin(xapiStatements, eq(xapiStatements.id, r.statementId))
        .where(and(eq(r.kind, byRelated.kind), eq(r.key, byRelated.key), ...range(r.stored, r.statementId), ...base, ...filterConditions(xapiStatements, f)))
        .orderBy(...(ascending ? [asc(r.stored), asc(r.statementId)] : [desc(r.stored), desc(r.statementId)]))
        .limit(take),
    ];
  }
  const order = ascending ? [asc(xapiStatements.stored), asc(xapiStatements.id)] : [desc(xapiStatements.stored), desc(xapiStatements.id)];
  const page = (conditions: SQL[]) =>
    db
      .select(columns)
      .from(xapiStatements)
      .where(and(...base, ...range(xapiStatements.stored, xapiStatements.id), ...conditions))
      .orderBy(...order)
      .limit(take);
  return f.agent !== undefined && !f.relatedAgents
    ? [page(filterConditions(xapiStatements, f, 'actor')), page(filterConditions(xapiStatements, f, 'object'))]
    : [page(filterConditions(xapiStatements, f))];
}

/**
 * The first `take` statements in (stored, id) order that match, merged here from parts that each read
 * only their own first page (so no part sorts all its matches):
 * - the statements that meet the filters themselves (directParts);
 * - with filters, statements whose StatementRef target meets them (Communication 2.1.3): targets one step
 *   away by a join that starts from the targeted statements meeting the filters (`targeted` and its partial
 *   indexes: a few rows, where a join from the StatementRefs read every one of them when few matched);
 *   longer chains (a → b → c) by a recursive walk from the rare statements whose target is itself a
 *   targeting statement (ref_chain). A voided target still counts (2.1.4): the voiding statement and
 *   others that target it are returned, the voided statement itself never.
 */
async function pageRows(db: Db, base: (SQL | undefined)[], range: Range, f: Filters, ascending: boolean, take: number): Promise<Row[]> {
  const order = ascending ? [asc(xapiStatements.stored), asc(xapiStatements.id)] : [desc(xapiStatements.stored), desc(xapiStatements.id)];
  const columns = { id: xapiStatements.id, stored: xapiStatements.stored, statement: xapiStatements.statement };
  const onTarget = filterConditions(target, f);
  const parts: SQLWrapper[] = directParts(db, base, range, f, ascending, take);
  if (onTarget.length > 0) {
    const inRange = [...base, ...range(xapiStatements.stored, xapiStatements.id)];
    // Which of two plans answers "StatementRefs whose target meets the filters" is decided in the database by
    // counting (up to POPULAR_TARGETS) the targeted statements that meet them; the count runs once per query
    // and the plan not taken is never executed (a one-time filter).
    const refsOfTarget = db
      .select(columns)
      .from(xapiStatements)
      .where(and(eq(xapiStatements.refId, target.id), ...inRange))
      .orderBy(...order)
      .limit(take)
      .as('rt');
    const refs = db
      .select({ id: xapiStatements.id, stored: xapiStatements.stored, statement: xapiStatements.statement, refId: xapiStatements.refId })
      .from(xapiStatements)
      .where(and(isNotNull(xapiStatements.refId), ...inRange))
      .orderBy(...order)
      .as('r');
    const popular = sql`((select count(*) from (select 1 from ${xapiStatements} c where ${and(sql`c.targeted`, ...filterConditions(counted, f))} limit ${POPULAR_TARGETS}) n) >= ${POPULAR_TARGETS})`;
    parts.push(
      // few targets: start from them (the partial `targeted` indexes) and look up each one's StatementRefs;
      // lateral, as a join the planner merged the whole ref_id index against them (35 ms for 5 targets)
      db
        .select({ id: refsOfTarget.id, stored: refsOfTarget.stored, statement: refsOfTarget.statement })
        .from(target)
        .crossJoinLateral(refsOfTarget)
        .where(and(sql`not ${popular}`, sql`${target.targeted}`, ...onTarget))
        .orderBy(...(ascending ? [asc(refsOfTarget.stored), asc(refsOfTarget.id)] : [desc(refsOfTarget.stored), desc(refsOfTarget.id)]))
        .limit(take),
      // many (a popular lesson or verb: at 10 million statements, thousands of targets, 40–50 ms to sort
      // their StatementRefs): walk the StatementRefs in stored order and keep those whose target meets the
      // filters, which fills a page after a few hundred. The walk is an ordered subquery (not pulled up into
      // a join): as a join the planner misjudged how many targets match and read and sorted every
      // StatementRef (220 ms at 10 million; 11 ms walking)
      db
        .select({ id: refs.id, stored: refs.stored, statement: refs.statement })
        .from(refs)
        .where(and(popular, sql`exists (select 1 from ${xapiStatements} t where t.id = ${refs.refId} and ${and(...onTarget)})`))
        .orderBy(...(ascending ? [asc(refs.stored), asc(refs.id)] : [desc(refs.stored), desc(refs.id)]))
        .limit(take),
      db
        .select(columns)
        .from(xapiStatements)
        .where(
          and(
            ...inRange,
            sql`${xapiStatements.refChain}`,
            sql`exists (
          with recursive chain(id) as (
            select m.ref_id from ${xapiStatements} m where m.id = ${xapiStatements.refId}
            union
            select c.ref_id from chain join ${xapiStatements} c on c.id = chain.id where c.ref_id is not null
          )
          select 1 from chain join ${xapiStatements} t on ${target.id} = chain.id where ${and(...onTarget)})`,
          ),
        )
        .orderBy(...order)
        .limit(take),
    );
  }
  // One round trip for every part (each keeps its own ORDER BY and LIMIT, so each is still one index scan):
  // a first page for "agent" was four queries on four pooled connections, and on a loaded machine each
  // extra backend wake-up and round trip costs more than the scan itself.
  const union = sql.join(
    parts.map((p) => sql`(${p})`),
    sql` union all `,
  );
  const found = new Map<string, Row>();
  for (const r of await queryRows<{ id: string; stored: Date | string; statement: JsonObject }>(db, union))
    found.set(r.id, { id: r.id, stored: new Date(r.stored), statement: r.statement });
  const after = (a: Row, b: Row) => a.stored.getTime() - b.stored.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...found.values()].sort((a, b) => (ascending ? after(a, b) : after(b, a))).slice(0, take);
}

/**
 * GET /xapi/statements: one statement by id (voided ones only by voidedStatementId), or a page of the
 * statements matching the filters, ordered by (stored, id) and paged with a keyset cursor in `more`.
 */
export async function getStatements(
  deps: { db: Db; clock: Clock },
  principal: LrsPrincipal,
  q: StatementQuery,
  moreBase: string,
  options: { acceptLanguage?: string } = {},
): Promise<StatementAnswer> {
  requireRead(principal);
  refuseLaunchToken(principal, 'read statements');
  const format = q.format ?? 'exact';
  if (!formats.has(format)) throw fieldError('validation_failed', '/querystring/format', 'must be exact, ids or canonical');
  const withAttachments = bool(q.attachments, 'attachments');
  const ascending = bool(q.ascending, 'ascending');
  const wanted = acceptedLanguages(options.acceptLanguage);
  const shape = (s: JsonObject) => (format === 'ids' ? idsOnly(s) : format === 'canonical' ? canonicalStatement(s, wanted) : s);
  const scope = canReadAll(principal)
    ? undefined
    : or(eq(xapiStatements.authorityKey, principal.authorityKey), principal.ownAgentIfi ? eq(xapiStatements.actorIfi, principal.ownAgentIfi) : undefined);

  const byId = q.statementId ?? q.voidedStatementId;
  if (byId !== undefined) {
    const field = q.statementId !== undefined ? 'statementId' : 'voidedStatementId';
    if (q.statementId !== undefined && q.voidedStatementId !== undefined)
      throw fieldError('validation_failed', '/querystring/voidedStatementId', 'cannot be combined with statementId');
    const extra = Object.keys(q).find((k) => !single.has(k) && q[k as keyof StatementQuery] !== undefined);
    if (extra) throw fieldError('validation_failed', `/querystring/${extra}`, `cannot be combined with ${field}`);
    if (!isUuid(byId)) throw fieldError('validation_failed', `/querystring/${field}`, 'must be a UUID');
    const [row] = await deps.db
      .select({ statement: xapiStatements.statement, voided: xapiStatements.voided })
      .from(xapiStatements)
      .where(and(eq(xapiStatements.id, byId.toLowerCase()), scope));
    if (!row || row.voided !== (field === 'voidedStatementId'))
      throw new DomainError('not_found', `no ${field === 'voidedStatementId' ? 'voided ' : ''}statement ${byId}`);
    const statement = shape(row.statement);
    return { kind: 'one', statement, ...(withAttachments ? { attachments: await attachmentsOf(deps.db, [statement]) } : {}) };
  }

  // `base` and `range` hold what applies to the returned statement itself (voided, the client's scope;
  // time and sequence); `filters` what a StatementRef's target may meet in its place (Communication 2.1.3).
  const base: (SQL | undefined)[] = [eq(xapiStatements.voided, false), scope];
  const filters: Filters = { relatedAgents: bool(q.related_agents, 'related_agents'), relatedActivities: bool(q.related_activities, 'related_activities') };
  if (q.agent !== undefined) {
    const ifi = parseAgent(q.agent);
    if (principal.ownAgentIfi && ifi !== principal.ownAgentIfi && !canReadAll(principal))
      throw fieldError('forbidden', '/querystring/agent', 'you may only read statements about yourself');
    filters.agent = ifi;
  }
  if (q.verb !== undefined) {
    if (!isIri(q.verb)) throw fieldError('validation_failed', '/querystring/verb', 'must be an IRI');
    filters.verb = q.verb;
  }
  if (q.activity !== undefined) {
    if (!isIri(q.activity)) throw fieldError('validation_failed', '/querystring/activity', 'must be an IRI');
    filters.activity = q.activity;
  }
  if (q.registration !== undefined) {
    if (!isUuid(q.registration)) throw fieldError('validation_failed', '/querystring/registration', 'must be a UUID');
    filters.registration = q.registration.toLowerCase();
  }
  for (const k of ['since', 'until'] as const) {
    const v = q[k];
    if (v !== undefined && !isTimestamp(v)) throw fieldError('validation_failed', `/querystring/${k}`, 'must be an ISO 8601 timestamp with a time zone');
  }
  const since = q.since ? new Date(q.since) : undefined;
  const until = q.until ? new Date(q.until) : undefined;
  let limit = MAX_PAGE;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 0) throw fieldError('validation_failed', '/querystring/limit', 'must be a whole number ≥ 0');
    if (n > 0) limit = Math.min(n, MAX_PAGE);
  }
  const cursor = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
  const range: Range = (stored, id) => [
    ...(since ? [gt(stored, since)] : []),
    ...(until ? [lte(stored, until)] : []),
    ...(cursor ? [sql`(${stored}, ${id}) ${ascending ? sql`>` : sql`<`} (${cursor.stored.toISOString()}::timestamptz, ${cursor.id}::uuid)`] : []),
  ];
  const rows = await pageRows(deps.db, base, range, filters, ascending, limit + 1);
  const page = rows.slice(0, limit);
  let more = '';
  const last = page.at(-1);
  if (rows.length > limit && last) {
    const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== 'cursor' && v !== undefined) as [string, string][]);
    params.set('cursor', encodeCursor(last.stored, last.id));
    more = `${moreBase}?${params}`;
  }
  const statements = page.map((r) => shape(r.statement));
  return { kind: 'many', result: { statements, more }, ...(withAttachments ? { attachments: await attachmentsOf(deps.db, statements) } : {}) };
}

/**
 * The X-Experience-API-Consistent-Through time of a statements answer: every statement stored at or before
 * it is visible to a query that starts after this call. Statements get their stored time from their
 * writing transaction's start (insertRows), and a transaction still running may commit later with a
 * stored time in the past; so the answer is just before the start of the oldest transaction now running
 * on this database (any process, any replica writing to it), or before now when none is. Sessions of
 * other database roles are invisible here without pg_read_all_stats: run the API and workers as one role.
 */
export async function statementsConsistentThrough(db: Db): Promise<string> {
  const [row] = await queryRows<{ since: Date | string }>(
    db,
    sql`select coalesce(least(min(xact_start), now()), now()) as since from pg_stat_activity
        where datname = current_database() and xact_start is not null`,
  );
  const since = row ? new Date(row.since).getTime() : Date.now();
  return new Date(Math.floor(since) - 1).toISOString();
}
