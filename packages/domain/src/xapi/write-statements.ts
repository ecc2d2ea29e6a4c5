import { type Db, inlineText, type NewXapiStatementRow, queryRows, xapiAttachments, xapiStatements } from '@hts/db';
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendEvidence, type EvidenceInput } from '../evidence/append-evidence.ts';
import { DomainError } from '../shared/errors.ts';
import type { AttachmentContent } from './attachments.ts';

/** One request's statements, validated and ready to insert, with the body path of each (for 409 details). */
export interface StatementBatch {
  rows: NewXapiStatementRow[];
  paths: string[];
  /** Attachment content that came in the request's multipart body, already checked against its hash. */
  attachments?: AttachmentContent[];
  /**
   * false: completions of this batch are not appended to the evidence chain (the platform's own statements,
   * whose completions the learning code chains where it writes them).
   */
  chain?: false;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Verbs whose statements are completions: they are appended to the tamper-evident chain. */
const completionVerbs = new Set(['http://adlnet.gov/expapi/verbs/completed', 'http://adlnet.gov/expapi/verbs/passed']);

/**
 * Inserts rows as one statement that carries the rows as one JSON literal: PostgreSQL unpacks them with
 * jsonb_to_recordset, so no per-value parameter work happens in JS, and with no parameter postgres.js
 * sends it in one round trip instead of two (see inlineText). `stored` is the writing transaction's start
 * time (to the millisecond, rounded down), set here in the statement and its column, and `timestamp` too when the
 * client sent none: a statement is never stored earlier than its transaction began, which is what
 * statementsConsistentThrough relies on. A statement whose voiding statement arrived first is stored
 * voided (the spec lets a voiding statement precede its target), and one a StatementRef already targets is
 * stored targeted. The rows of xapi_statement_related (what related_agents / related_activities page through)
 * are written by the same statement, from the rows actually inserted. Answers the ids inserted with their
 * stored time; ids already stored are left alone (ON CONFLICT DO NOTHING waits for a concurrent writer of
 * the same id to commit).
 */
async function insertRows(tx: Tx, rows: NewXapiStatementRow[], onConflict: 'skip' | 'fail' = 'skip'): Promise<Map<string, Date>> {
  const got = await queryRows<{ id: string; stored: Date | string }>(
    tx as unknown as Db,
    sql`with ${statementInsertParts(rows, onConflict)} select id, stored from xapi_inserted`,
  );
  return new Map(got.map((r) => [r.id, new Date(r.stored)]));
}

/**
 * The WITH parts of insertRows (xapi_now, xapi_inserted answering id and stored, xapi_related): a caller that
 * writes other tables in the same round trip puts them among the parts of its own data-modifying WITH (see
 * progress-batch-sql.ts). The stored time is the transaction's start, as in insertRows, since now() is the
 * same in every part of a transaction.
 */
export function statementInsertParts(rows: NewXapiStatementRow[], onConflict: 'skip' | 'fail'): SQL {
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      statement: r.statement,
      has_timestamp: r.statement.timestamp !== undefined,
      content_hash: r.contentHash,
      timestamp: r.timestamp,
      voids_id: r.voidsId ?? null,
      ref_id: r.refId ?? null,
      actor_ifi: r.actorIfi ?? null,
      object_agent_ifi: r.objectAgentIfi ?? null,
      verb_id: r.verbId,
      activity_id: r.activityId ?? null,
      registration: r.registration ?? null,
      related_agents: r.relatedAgents,
      related_activities: r.relatedActivities,
      authority_key: r.authorityKey,
    })),
  );
  // data-modifying WITH parts must sit at the top level of a statement: callers get parts, not a statement
  return sql`xapi_now as (
          select date_trunc('milliseconds', now()) as stored,
            to_char(date_trunc('milliseconds', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso
        ), xapi_inserted as (
          insert into xapi_statements (id, statement, content_hash, stored, "timestamp", voided, voids_id, ref_id, targeted, actor_ifi, object_agent_ifi,
            verb_id, activity_id, registration, related_agents, related_activities, authority_key)
          select r.id,
            r.statement || jsonb_build_object('stored', n.iso) || case when r.has_timestamp then '{}'::jsonb else jsonb_build_object('timestamp', n.iso) end,
            r.content_hash, n.stored, case when r.has_timestamp then r."timestamp" else n.stored end,
            r.voids_id is null and exists (select 1 from xapi_statements v where v.voids_id = r.id),
            r.voids_id, r.ref_id, exists (select 1 from xapi_statements a where a.ref_id = r.id),
            r.actor_ifi, r.object_agent_ifi, r.verb_id, r.activity_id, r.registration, r.related_agents, r.related_activities, r.authority_key
          from xapi_now n, jsonb_to_recordset(${inlineText(json)}::jsonb) as r(id uuid, statement jsonb, has_timestamp boolean, content_hash text, "timestamp" timestamptz,
            voids_id uuid, ref_id uuid, actor_ifi text, object_agent_ifi text, verb_id text, activity_id text, registration uuid, related_agents text[],
            related_activities text[], authority_key text)
          ${onConflict === 'skip' ? sql`on conflict (id) do nothing` : sql``}
          returning id, stored, related_agents, related_activities
        ), xapi_related as (
          insert into xapi_statement_related (kind, key, stored, statement_id)
          select 'agent', k, i.stored, i.id from xapi_inserted i, unnest(i.related_agents) k
          union all
          select 'activity', k, i.stored, i.id from xapi_inserted i, unnest(i.related_activities) k
        )`;
}

/**
 * The first of `rows` stored with other content (a 409), after an insert that skipped ids already stored. ON CONFLICT waited for any concurrent writer of those ids to commit, so this read sees the winner.
 */
export async function clashingStatement(tx: Tx, rows: NewXapiStatementRow[]): Promise<NewXapiStatementRow | undefined> {
  if (rows.length === 0) return undefined;
  const stored = await tx
    .select({ id: xapiStatements.id, contentHash: xapiStatements.contentHash })
    .from(xapiStatements)
    .where(
      inArray(
        xapiStatements.id,
        rows.map((r) => r.id as string),
      ),
    );
  const hashes = new Map(stored.map((r) => [r.id, r.contentHash]));
  return rows.find((r) => hashes.get(r.id as string) !== r.contentHash);
}

/**
 * Inserts one batch; ids already stored must hold the same content (a replay), else 409. ON CONFLICT
 * waited for any concurrent writer of those ids to commit, so the read below sees the winner.
 */
async function insertBatch(tx: Tx, batch: StatementBatch): Promise<NewXapiStatementRow[]> {
  const inserted = await insertRows(tx, batch.rows);
  stamp(batch.rows, inserted);
  const clash = await clashingStatement(
    tx,
    batch.rows.filter((r) => !inserted.has(r.id as string)),
  );
  if (clash)
    throw new DomainError('conflict', `statement ${clash.id} is already stored with other content`, [
      { field: `${batch.paths[batch.rows.indexOf(clash)]}/id`, message: 'already stored with other content' },
    ]);
  return batch.rows.filter((r) => inserted.has(r.id as string));
}

class FallBack extends Error {}

/** A batch whose rows need nothing after the insert: no attachments, voiding, StatementRef chains or evidence. */
function insertOnly(batch: StatementBatch): boolean {
  if (batch.attachments && batch.attachments.length > 0) return false;
  return batch.rows.every((r) => !r.voidsId && !r.refId && (batch.chain === false || !completionVerbs.has(r.verbId)));
}

/** PostgreSQL's unique_violation, through drizzle's wrapper (postgres.js and PGlite both carry the code). */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
    if (!(e as { cause?: unknown }).cause) break;
  }
  return false;
}

/** The stored time the database gave each inserted row (the evidence chain records it). */
function stamp(rows: NewXapiStatementRow[], inserted: Map<string, Date>): void {
  for (const r of rows) {
    const stored = inserted.get(r.id as string);
    if (stored) r.stored = stored;
  }
}

/**
 * Writes several requests' batches in one transaction (one commit, one fsync) while keeping each batch
 * all-or-nothing. The usual case costs three round trips: BEGIN, one INSERT of every row, COMMIT. If any
 * id was already stored (a replay or a conflict), that transaction is rolled back and the group is written
 * again with each batch under its own savepoint, so one request's 409 does not undo its neighbours.
 * Answers, per batch, null (stored) or the error that rejected it.
 */
export async function writeStatementBatches(db: Db, batches: StatementBatch[], now: Date): Promise<(Error | null)[]> {
  const outcome: (Error | null)[] = batches.map(() => null);
  if (batches.every(insertOnly)) {
    // Nothing to do beside the insert: one INSERT without ON CONFLICT is its own transaction, all or
    // nothing, durable when it returns (one round trip and one commit instead of BEGIN, INSERT, COMMIT).
    // An id already stored, or being stored by a concurrent request, fails it with a unique violation;
    // then the careful path below sorts replays from conflicts.
    const all = batches.flatMap((b) => b.rows);
    try {
      stamp(all, await insertRows(db as unknown as Tx, all, 'fail'));
      return outcome;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  if (batches.length > 1) {
    try {
      await db.transaction(async (tx) => {
        const all = batches.flatMap((b) => b.rows);
        const inserted = await insertRows(tx, all);
        if (inserted.size !== all.length) throw new FallBack();
        stamp(all, inserted);
        await afterInsert(tx, batches, outcome, all, now);
      });
      return outcome;
    } catch (error) {
      if (!(error instanceof FallBack)) throw error;
    }
  }
  await db.transaction(async (tx) => {
    const fresh: NewXapiStatementRow[] = [];
    if (batches.length === 1) fresh.push(...(await insertBatch(tx, batches[0] as StatementBatch)));
    else
      for (const [i, batch] of batches.entries()) {
        try {
          fresh.push(...(await tx.transaction((sp) => insertBatch(sp, batch))));
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          outcome[i] = e;
        }
      }
    await afterInsert(tx, batches, outcome, fresh, now);
  });
  return outcome;
}

/** What follows the insert in the same transaction: attachment content, voiding, the evidence chain. */
async function afterInsert(tx: Tx, batches: StatementBatch[], outcome: (Error | null)[], fresh: NewXapiStatementRow[], now: Date): Promise<void> {
  const attachments = batches.filter((_, i) => outcome[i] === null).flatMap((b) => b.attachments ?? []);
  // Content is addressed by its hash: the same file sent twice is stored once.
  if (attachments.length > 0) await tx.insert(xapiAttachments).values(attachments).onConflictDoNothing();
  await applyVoiding(tx, fresh);
  await markTargets(tx, fresh);
  await markRefChains(tx, fresh);
  const unchained = new Set(batches.filter((b) => b.chain === false).flatMap((b) => b.rows.map((r) => r.id)));
  await appendEvidence(tx, fresh.filter((r) => completionVerbs.has(r.verbId) && !unchained.has(r.id)).map(completionEvidence), now);
}

function completionEvidence(row: NewXapiStatementRow): EvidenceInput {
  return {
    kind: 'xapi.completion',
    subjectId: row.id as string,
    payload: {
      statementId: row.id,
      actor: row.actorIfi,
      verb: row.verbId,
      activity: row.activityId,
      stored: (row.stored as Date).toISOString(),
      contentHash: row.contentHash,
    },
  };
}

/**
 * Marks the statements that new StatementRefs (voiding statements included) target, if already stored; a
 * target that arrives later is stored targeted by insertRows. Only requests holding StatementRefs pay.
 */
async function markTargets(tx: Tx, fresh: NewXapiStatementRow[]): Promise<void> {
  const targets = fresh.filter((r) => r.refId).map((r) => r.refId as string);
  if (targets.length > 0)
    await tx
      .update(xapiStatements)
      .set({ targeted: true })
      .where(and(inArray(xapiStatements.id, targets), eq(xapiStatements.targeted, false)));
}

/**
 * Keeps ref_chain (the target is itself a targeting statement) true whichever end of a chain arrives last:
 * new targeting statements whose target is a targeting statement, and older or same-request statements
 * that target a new targeting statement. Only requests holding StatementRefs pay for it.
 */
async function markRefChains(tx: Tx, fresh: NewXapiStatementRow[]): Promise<void> {
  const ids = fresh.filter((r) => r.refId).map((r) => r.id as string);
  if (ids.length === 0) return;
  // one array parameter (drizzle would spread a JS array into a list of parameters)
  const targeting = `{${ids.join(',')}}`;
  await queryRows(
    tx as unknown as Db,
    sql`update xapi_statements s set ref_chain = true
        where not s.ref_chain and s.ref_id is not null
          and (s.ref_id = any(${targeting}::uuid[])
            or (s.id = any(${targeting}::uuid[]) and exists (select 1 from xapi_statements t where t.id = s.ref_id and t.ref_id is not null)))
        returning s.id`,
  );
}

/**
 * Marks the targets of new voiding statements voided (targets stored earlier or in the same request; a
 * target that arrives later is stored voided by insertRows).
 */
async function applyVoiding(tx: Tx, fresh: NewXapiStatementRow[]): Promise<void> {
  const targets = fresh.filter((r) => r.voidsId).map((r) => r.voidsId as string);
  if (targets.length > 0)
    await tx
      .update(xapiStatements)
      .set({ voided: true })
      .where(and(inArray(xapiStatements.id, targets), isNull(xapiStatements.voidsId)));
}
