import { type Db, type NewXapiStatementRow, xapiAttachments, xapiStatements } from '@hts/db';
import { and, inArray, isNull, sql } from 'drizzle-orm';
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

// postgres allows 65,535 parameters per query; 15 columns a row leaves room for 4,000 rows.
const INSERT_CHUNK = 2000;

async function insertRows(tx: Tx, rows: NewXapiStatementRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const got = await tx
      .insert(xapiStatements)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflictDoNothing({ target: xapiStatements.id })
      .returning({ id: xapiStatements.id });
    for (const r of got) inserted.add(r.id);
  }
  return inserted;
}

/**
 * Inserts one batch; ids already stored must hold the same content (a replay), else 409. ON CONFLICT
 * waited for any concurrent writer of those ids to commit, so the read below sees the winner.
 */
async function insertBatch(tx: Tx, batch: StatementBatch): Promise<NewXapiStatementRow[]> {
  const inserted = await insertRows(tx, batch.rows);
  const existing = batch.rows.filter((r) => !inserted.has(r.id as string));
  if (existing.length > 0) {
    const stored = await tx
      .select({ id: xapiStatements.id, contentHash: xapiStatements.contentHash })
      .from(xapiStatements)
      .where(
        inArray(
          xapiStatements.id,
          existing.map((r) => r.id as string),
        ),
      );
    const hashes = new Map(stored.map((r) => [r.id, r.contentHash]));
    const clash = existing.find((r) => hashes.get(r.id as string) !== r.contentHash);
    if (clash)
      throw new DomainError('conflict', `statement ${clash.id} is already stored with other content`, [
        { field: `${batch.paths[batch.rows.indexOf(clash)]}/id`, message: 'already stored with other content' },
      ]);
  }
  return batch.rows.filter((r) => inserted.has(r.id as string));
}

class FallBack extends Error {}

/**
 * Writes several requests' batches in one transaction (one commit, one fsync) while keeping each batch
 * all-or-nothing: first as one multi-row INSERT; if any id was already there (a replay or a conflict),
 * that attempt is rolled back to its savepoint and each batch is written under its own savepoint.
 * Answers, per batch, null (stored) or the error that rejected it.
 */
export async function writeStatementBatches(db: Db, batches: StatementBatch[], now: Date): Promise<(Error | null)[]> {
  const outcome: (Error | null)[] = batches.map(() => null);
  await db.transaction(async (tx) => {
    let fresh: NewXapiStatementRow[] = [];
    if (batches.length === 1) {
      fresh = await insertBatch(tx, batches[0] as StatementBatch);
    } else {
      try {
        await tx.transaction(async (sp) => {
          const all = batches.flatMap((b) => b.rows);
          const inserted = await insertRows(sp, all);
          if (inserted.size !== all.length) throw new FallBack();
          fresh = all;
        });
      } catch (error) {
        if (!(error instanceof FallBack)) throw error;
        for (const [i, batch] of batches.entries()) {
          try {
            fresh.push(...(await tx.transaction((sp) => insertBatch(sp, batch))));
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            outcome[i] = e;
          }
        }
      }
    }
    const attachments = batches.filter((_, i) => outcome[i] === null).flatMap((b) => b.attachments ?? []);
    // Content is addressed by its hash: the same file sent twice is stored once.
    if (attachments.length > 0) await tx.insert(xapiAttachments).values(attachments).onConflictDoNothing();
    await applyVoiding(tx, fresh);
    const unchained = new Set(batches.filter((b) => b.chain === false).flatMap((b) => b.rows.map((r) => r.id)));
    await appendEvidence(tx, fresh.filter((r) => completionVerbs.has(r.verbId) && !unchained.has(r.id)).map(completionEvidence), now);
  });
  return outcome;
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
 * Marks targets of new voiding statements voided, and new statements voided when a voiding statement
 * for them arrived first (the spec lets a voiding statement precede its target).
 */
async function applyVoiding(tx: Tx, fresh: NewXapiStatementRow[]): Promise<void> {
  const targets = fresh.filter((r) => r.voidsId).map((r) => r.voidsId as string);
  if (targets.length > 0)
    await tx
      .update(xapiStatements)
      .set({ voided: true })
      .where(and(inArray(xapiStatements.id, targets), isNull(xapiStatements.voidsId)));
  const plain = fresh.filter((r) => !r.voidsId).map((r) => r.id as string);
  if (plain.length > 0)
    await tx
      .update(xapiStatements)
      .set({ voided: true })
      .where(and(inArray(xapiStatements.id, plain), sql`exists (select 1 from xapi_statements v where v.voids_id = xapi_statements.id)`));
}
