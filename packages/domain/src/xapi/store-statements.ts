import { randomUUID } from 'node:crypto';
import { type Db, type NewXapiStatementRow, xapiStatements } from '@hts/db';
import { and, inArray, isNotNull } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../evidence/canonical-json.ts';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { agentIfi, type JsonObject } from './agents.ts';
import { checkAttachments, type MultipartPart } from './attachments.ts';
import { type LrsPrincipal, requireWrite } from './principal.ts';
import { statementColumns } from './statement-columns.ts';
import type { StatementWriter } from './statement-writer.ts';
import { assertValidStatements } from './validate-statement.ts';
import { writeStatementBatches } from './write-statements.ts';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

export interface StoreDeps {
  db: Db;
  clock: Clock;
  /** Group commit across concurrent requests; without it each request is its own transaction. */
  writer?: StatementWriter;
}

/**
 * What the client sent, minus what the LRS sets itself: replays compare on this. The spec has the LRS
 * ignore authority, stored and version when deciding whether two statements are the same.
 */
function contentHash(statement: JsonObject): string {
  const { authority: _a, stored: _s, version: _v, ...rest } = statement;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Stores one statement (PUT, `putId`) or a batch (POST), all or nothing, and answers the ids in the order
 * sent. The statement id is the natural key: the same content again is a harmless replay, other content
 * is a 409 and nothing of the batch stays (see write-statements.ts).
 */
export async function storeStatements(deps: StoreDeps, principal: LrsPrincipal, body: unknown, options: StoreOptions = {}): Promise<string[]> {
  const now = deps.clock.now();
  const { rows, paths, statements } = prepareStatements(principal, body, options, now);
  await assertVoidingTargets(deps.db, rows);
  const attachments = checkAttachments(statements, paths, options.parts ?? []);

  const batch = { rows, paths, attachments, ...(options.chain === false ? { chain: false as const } : {}) };
  if (deps.writer) await deps.writer.write(batch);
  else {
    const [error] = await writeStatementBatches(deps.db, [batch], now);
    if (error) throw error;
  }
  return rows.map((r) => r.id);
}

export interface StoreOptions {
  putId?: string;
  parts?: MultipartPart[];
  chain?: false;
  /** the request's X-Experience-API-Version */
  xapiVersion?: string;
}

/**
 * Checks what was sent (statements, the caller's rights over them, ids unique in the batch) and turns it
 * into rows to insert, without touching the database: storeStatements writes them, and a use case that
 * writes its statements as part of its own statement (record-progress.ts) embeds them.
 */
export function prepareStatements(
  principal: LrsPrincipal,
  body: unknown,
  options: StoreOptions,
  now: Date,
): { rows: NewXapiStatementRow[]; paths: string[]; statements: JsonObject[] } {
  requireWrite(principal);
  const single = options.putId !== undefined || !Array.isArray(body);
  const input = Array.isArray(body) && options.putId === undefined ? body : [body];
  if (input.length === 0) throw new DomainError('validation_failed', 'send at least one statement', [{ field: '/body', message: 'is an empty batch' }]);
  const paths = input.map((_, i) => (single ? '/body' : `/body/${i}`));
  const version2 = options.xapiVersion?.trim().startsWith('2.0') ?? false;
  assertValidStatements(input, paths, { version2 });
  const statements = input as JsonObject[];

  if (options.putId !== undefined) {
    const sent = statements[0]?.id;
    if (sent !== undefined && String(sent).toLowerCase() !== options.putId.toLowerCase())
      throw new DomainError('validation_failed', 'the statement id differs from the statementId parameter', [
        { field: '/body/id', message: 'must equal the statementId parameter' },
      ]);
  }

  const seen = new Map<string, string>();
  const rows: NewXapiStatementRow[] = statements.map((s, i) => {
    const id = String(s.id ?? options.putId ?? randomUUID()).toLowerCase();
    const client = { ...s, id };
    // cmi5 §6.3: the credentials an activity gets may not void statements
    if (principal.launch && (s.verb as JsonObject | undefined)?.id === VOIDED)
      throw new DomainError('forbidden', "an activity's launch token may not void statements", [
        { field: `${paths[i]}/verb`, message: 'voiding is not allowed' },
      ]);
    if (principal.ownAgentIfi && agentIfi(s.actor) !== principal.ownAgentIfi)
      throw new DomainError('forbidden', 'you may only send statements about yourself', [{ field: `${paths[i]}/actor`, message: 'must be your own agent' }]);
    const hash = contentHash(client);
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new DomainError(earlier === hash ? 'validation_failed' : 'conflict', 'the batch holds the same statement id twice', [
        { field: `${paths[i]}/id`, message: 'appears earlier in the batch' },
      ]);
    seen.set(id, hash);
    // `stored` (and `timestamp` when the client sent none) are set by the database as the writing
    // transaction's start time: see insertRows and statementsConsistentThrough.
    const full: JsonObject = {
      ...client,
      authority: principal.authority,
      version: typeof s.version === 'string' ? s.version : version2 ? '2.0.0' : '1.0.0',
    };
    return {
      id,
      statement: full,
      contentHash: hash,
      stored: now,
      timestamp: new Date(typeof s.timestamp === 'string' ? s.timestamp : now),
      authorityKey: principal.authorityKey,
      ...statementColumns(full),
    };
  });
  return { rows, paths, statements };
}

/** A voiding statement cannot target another voiding statement (stored, or in the same batch). */
async function assertVoidingTargets(db: Db, rows: NewXapiStatementRow[]): Promise<void> {
  const targets = rows.filter((r) => r.voidsId).map((r) => r.voidsId as string);
  if (targets.length === 0) return;
  const batchVoiding = new Set(rows.filter((r) => r.voidsId).map((r) => r.id));
  const storedVoiding = await db
    .select({ id: xapiStatements.id })
    .from(xapiStatements)
    .where(and(inArray(xapiStatements.id, targets), isNotNull(xapiStatements.voidsId)));
  const bad = new Set([...storedVoiding.map((r) => r.id), ...targets.filter((t) => batchVoiding.has(t))]);
  const row = rows.find((r) => r.voidsId && bad.has(r.voidsId));
  if (row)
    throw new DomainError('validation_failed', 'a voiding statement cannot be voided', [
      { field: `/body${rows.length > 1 ? `/${rows.indexOf(row)}` : ''}/object/id`, message: 'refers to a voiding statement' },
    ]);
}
