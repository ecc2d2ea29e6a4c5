import { type Db, xapiDocuments } from '@hts/db';
import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { DomainError } from '../../shared/errors.ts';
import type { LrsPrincipal } from '../principal.ts';
import { type DocumentKey, type DocumentKind, type DocumentQuery, documentKey, requireDocumentAccess } from './document-key.ts';

export type DocumentAnswer =
  | { kind: 'one'; content: Uint8Array; contentType: string; etag: string; updated: Date }
  | { kind: 'ids'; ids: string[]; updated: Date | undefined };

/** Parts a kind does not use are '' in both the key and the row, so one condition fits every kind. */
function scopeOf(key: DocumentKey): SQL | undefined {
  return and(
    eq(xapiDocuments.kind, key.kind),
    eq(xapiDocuments.activityId, key.activityId),
    eq(xapiDocuments.agentIfi, key.agentIfi),
    eq(xapiDocuments.registration, key.registration),
  );
}

/** GET of a document resource: one document by its id, or the ids of the documents (since a time). */
export async function readDocuments(db: Db, principal: LrsPrincipal, kind: DocumentKind, query: DocumentQuery): Promise<DocumentAnswer> {
  const key = documentKey(kind, query);
  requireDocumentAccess(principal, key, false);
  if (key.docId !== undefined) {
    const [row] = await db
      .select()
      .from(xapiDocuments)
      .where(and(scopeOf(key), eq(xapiDocuments.docId, key.docId)));
    if (!row) throw new DomainError('not_found', 'no such document');
    return { kind: 'one', content: row.content, contentType: row.contentType, etag: row.etag, updated: row.updated };
  }
  const rows = await db
    .select({ docId: xapiDocuments.docId, updated: xapiDocuments.updated })
    .from(xapiDocuments)
    .where(and(scopeOf(key), key.since ? gt(xapiDocuments.updated, key.since) : undefined))
    .orderBy(asc(xapiDocuments.docId));
  const latest = rows.reduce<Date | undefined>((m, r) => (!m || r.updated > m ? r.updated : m), undefined);
  return { kind: 'ids', ids: rows.map((r) => r.docId), updated: latest };
}

/** DELETE: one document (honouring If-Match), or every State document of the activity, agent and registration. */
export async function deleteDocuments(db: Db, principal: LrsPrincipal, kind: DocumentKind, query: DocumentQuery, ifMatch?: string): Promise<void> {
  const key = documentKey(kind, query);
  requireDocumentAccess(principal, key, true);
  if (key.docId === undefined && kind !== 'state')
    throw new DomainError('validation_failed', 'profileId is required', [{ field: '/querystring/profileId', message: 'is required' }]);
  const where = and(scopeOf(key), key.docId !== undefined ? eq(xapiDocuments.docId, key.docId) : undefined);
  if (ifMatch !== undefined) {
    const [row] = await db.select({ etag: xapiDocuments.etag }).from(xapiDocuments).where(where);
    if (!row || (ifMatch.trim() !== '*' && row.etag !== ifMatch.trim()))
      throw new DomainError('precondition_failed', 'If-Match does not match the current document');
  }
  await db.delete(xapiDocuments).where(where);
}
