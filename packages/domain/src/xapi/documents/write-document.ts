import { createHash } from 'node:crypto';
import { type Db, xapiDocuments } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../shared/deps.ts';
import { DomainError, fieldError } from '../../shared/errors.ts';
import { isPlainObject } from '../formats.ts';
import type { LrsPrincipal } from '../principal.ts';
import { type DocumentKind, type DocumentQuery, documentKey, requireDocumentAccess } from './document-key.ts';

export interface DocumentWrite {
  content: Uint8Array;
  contentType: string;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

export const etagOf = (content: Uint8Array) => `"${createHash('sha1').update(content).digest('hex')}"`;
const isJsonType = (t: string) => t.split(';')[0]?.trim().toLowerCase() === 'application/json';

function parseJsonObject(content: Uint8Array, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(content).toString('utf8'));
    if (isPlainObject(value)) return value;
  } catch {}
  throw fieldError('validation_failed', '/body', `${what} is not a JSON object, so it cannot be merged`);
}

/** If-Match / If-None-Match as the spec's concurrency section asks: a mismatch is 412. */
function checkPreconditions(current: string | undefined, w: DocumentWrite): void {
  if (
    w.ifMatch !== undefined &&
    (current === undefined ||
      (w.ifMatch.trim() !== '*' &&
        !w.ifMatch
          .split(',')
          .map((s) => s.trim())
          .includes(current)))
  )
    throw new DomainError('precondition_failed', 'If-Match does not match the current document');
  if (
    w.ifNoneMatch !== undefined &&
    current !== undefined &&
    (w.ifNoneMatch.trim() === '*' ||
      w.ifNoneMatch
        .split(',')
        .map((s) => s.trim())
        .includes(current))
  )
    throw new DomainError('precondition_failed', 'If-None-Match: the document already exists');
}

/**
 * PUT replaces a document; POST merges JSON objects (top-level properties of the new one win). Profiles
 * need If-Match or If-None-Match to overwrite an existing document (409 otherwise), as the spec asks.
 * The row is locked while checked, so two writers cannot both pass the same If-Match.
 */
export async function writeDocument(
  deps: { db: Db; clock: Clock },
  principal: LrsPrincipal,
  kind: DocumentKind,
  query: DocumentQuery,
  mode: 'put' | 'post',
  w: DocumentWrite,
): Promise<{ etag: string }> {
  const key = documentKey(kind, query);
  requireDocumentAccess(principal, key, true);
  if (key.docId === undefined) throw fieldError('validation_failed', `/querystring/${kind === 'state' ? 'stateId' : 'profileId'}`, 'is required');
  const docId = key.docId;
  if (mode === 'post') {
    if (!isJsonType(w.contentType)) throw fieldError('validation_failed', '/headers/content-type', 'POST merges JSON documents: send application/json');
    parseJsonObject(w.content, 'the posted document');
  }
  return deps.db.transaction(async (tx) => {
    const where = and(
      eq(xapiDocuments.kind, kind),
      eq(xapiDocuments.activityId, key.activityId),
      eq(xapiDocuments.agentIfi, key.agentIfi),
      eq(xapiDocuments.registration, key.registration),
      eq(xapiDocuments.docId, docId),
    );
    const [current] = await tx.select().from(xapiDocuments).where(where).for('update');
    checkPreconditions(current?.etag, w);
    if (mode === 'put' && current && kind !== 'state' && w.ifMatch === undefined && w.ifNoneMatch === undefined)
      throw new DomainError('conflict', 'this document exists: send If-Match with its ETag (or If-None-Match: *) to overwrite it');
    let content = w.content;
    let contentType = w.contentType;
    if (mode === 'post' && current) {
      if (!isJsonType(current.contentType)) throw fieldError('validation_failed', '/body', 'the stored document is not JSON, so it cannot be merged');
      const merged = { ...parseJsonObject(current.content, 'the stored document'), ...parseJsonObject(w.content, 'the posted document') };
      content = Buffer.from(JSON.stringify(merged));
      contentType = 'application/json';
    }
    const etag = etagOf(content);
    const updated = deps.clock.now();
    await tx
      .insert(xapiDocuments)
      .values({ kind, activityId: key.activityId, agentIfi: key.agentIfi, registration: key.registration, docId, content, contentType, etag, updated })
      .onConflictDoUpdate({
        target: [xapiDocuments.kind, xapiDocuments.activityId, xapiDocuments.agentIfi, xapiDocuments.registration, xapiDocuments.docId],
        set: { content, contentType, etag, updated: sql`excluded.updated` },
      });
    return { etag };
  });
}
