import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AttachmentInfo } from '@hts/contracts';
import { assessmentAttachments, selfAssessmentItems, selfAssessments, users } from '@hts/db';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { type Actor, coversCommune } from '../access/actor.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import type { CriteriaDeps } from './criteria-deps.ts';

/** A photo or scan of a certificate fits; a video does not belong here. */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const ATTACHMENT_LINK_TTL_SECONDS = 900;

export type AttachmentFormat = 'jpeg' | 'png' | 'webp' | 'heic' | 'pdf';
const CONTENT_TYPE: Record<AttachmentFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
};

/** The file type from its first bytes, whatever its name says; null for anything else. */
export function detectAttachmentFormat(bytes: Uint8Array): AttachmentFormat | null {
  const ascii = (start: number, length: number) => Buffer.from(bytes.subarray(start, start + length)).toString('latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'webp';
  if (ascii(4, 4) === 'ftyp' && ['heic', 'heix', 'mif1', 'msf1', 'hevc'].includes(ascii(8, 4))) return 'heic';
  if (ascii(0, 5) === '%PDF-') return 'pdf';
  return null;
}

async function readLimited(body: Readable | Buffer, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    if (body.length > limit) throw fieldError('payload_too_large', '/body', `the file is larger than ${limit / 1024 / 1024} MB`);
    return body;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      body.destroy();
      throw fieldError('payload_too_large', '/body', `the file is larger than ${limit / 1024 / 1024} MB`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Stores an attachment for the caller after checking its size (413) and its type by its bytes (415). */
export async function uploadAssessmentAttachment(
  deps: CriteriaDeps,
  actor: Actor,
  input: { fileName: string; body: Readable | Buffer; contentLength?: number },
): Promise<AttachmentInfo> {
  if (!deps.store) throw new Error('uploadAssessmentAttachment needs an object store');
  if (input.contentLength !== undefined && input.contentLength > ATTACHMENT_MAX_BYTES)
    throw fieldError('payload_too_large', '/body', `the file is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  const bytes = await readLimited(input.body, ATTACHMENT_MAX_BYTES);
  if (bytes.length === 0) throw fieldError('validation_failed', '/body', 'the file is empty');
  const format = detectAttachmentFormat(bytes);
  if (!format) throw fieldError('unsupported_media_type', '/body', 'only photos (JPEG, PNG, WebP, HEIC) and PDF documents can be attached');
  const id = randomUUID();
  const objectKey = `assessment-attachments/${actor.userId}/${id}`;
  const contentType = CONTENT_TYPE[format];
  await deps.store.put(objectKey, bytes, { contentType, size: bytes.length });
  const fileName = input.fileName
    .normalize('NFC')
    .split('')
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '/' || ch === '\\' ? '_' : ch))
    .join('')
    .slice(0, 200);
  await deps.db
    .insert(assessmentAttachments)
    .values({ id, ownerId: actor.userId, objectKey, fileName, contentType, size: bytes.length, createdAt: deps.clock.now() });
  return { id, fileName, contentType, size: bytes.length };
}

/**
 * A short-lived link to an attachment: for its owner, an admin, and branch reviewers and officers whose scope
 * covers the commune of a sent (not draft) assessment that carries it. Anyone else gets "not found".
 */
export async function assessmentAttachmentLink(deps: CriteriaDeps, actor: Actor, id: string): Promise<{ url: string; expiresAt: string }> {
  if (!deps.store) throw new Error('assessmentAttachmentLink needs an object store');
  const [row] = await deps.db
    .select({ objectKey: assessmentAttachments.objectKey, ownerId: assessmentAttachments.ownerId, communeId: users.communeId })
    .from(assessmentAttachments)
    .innerJoin(users, eq(users.id, assessmentAttachments.ownerId))
    .where(eq(assessmentAttachments.id, id));
  if (!row) throw new DomainError('not_found', 'no such attachment');
  let allowed = row.ownerId === actor.userId || actor.roles.has('admin');
  if (!allowed) {
    const communes = await deps.db
      .select({ communeId: selfAssessments.communeId })
      .from(selfAssessments)
      .innerJoin(selfAssessmentItems, eq(selfAssessmentItems.assessmentId, selfAssessments.id))
      .where(
        and(eq(selfAssessments.userId, row.ownerId), ne(selfAssessments.status, 'draft'), sql`${selfAssessmentItems.attachmentIds} @> array[${id}]::uuid[]`),
      );
    allowed = communes.some((c) => c.communeId && coversCommune(actor, ['branch', 'officer'], c.communeId));
  }
  if (!allowed) throw new DomainError('not_found', 'no such attachment');
  const now = deps.clock.now();
  const url = await deps.store.signedGetUrl(row.objectKey, { expiresInSeconds: ATTACHMENT_LINK_TTL_SECONDS });
  return { url, expiresAt: new Date(now.getTime() + ATTACHMENT_LINK_TTL_SECONDS * 1000).toISOString() };
}

/** Every attachment must exist (404) and belong to one of `owners` (403). */
export async function checkAttachmentsOwnedBy(tx: Pick<CriteriaDeps['db'], 'select'>, ids: string[], owners: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const rows = await tx
    .select({ id: assessmentAttachments.id, ownerId: assessmentAttachments.ownerId })
    .from(assessmentAttachments)
    .where(inArray(assessmentAttachments.id, unique));
  const missing = unique.find((a) => !rows.some((r) => r.id === a));
  if (missing)
    throw new DomainError('not_found', `no such attachment ${missing}`, [{ field: '/body/attachmentIds', message: `no such attachment ${missing}` }]);
  if (rows.some((r) => !owners.includes(r.ownerId))) throw new DomainError('forbidden', 'an attachment belongs to someone else');
}
