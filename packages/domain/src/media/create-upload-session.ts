import { randomUUID } from 'node:crypto';
import type { CreateUploadBody, UploadSession } from '@hts/contracts';
import { mediaAssets, uploadSessions } from '@hts/db';
import { MAX_PART_NUMBER } from '@hts/storage';
import { type Actor, requireRole } from '../access/actor.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { MAX_CAPTIONS_BYTES, type MediaDeps } from './media-deps.ts';
import { mediaKeys } from './media-keys.ts';
import { loadManagedAsset } from './media-view.ts';
import { uploadSessionView } from './upload-session-view.ts';

const mb = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MB`;

/**
 * Starts a resumable upload. The declared size is checked against the limit here, before a single
 * byte is sent, so an oversize file is refused at once rather than after minutes on a weak link.
 */
export async function createUploadSession(deps: MediaDeps, actor: Actor, input: CreateUploadBody): Promise<UploadSession> {
  requireRole(actor, ['trainer', 'admin']);
  const { db, store, clock, media } = deps;
  const limit = input.kind === 'captions' ? Math.min(MAX_CAPTIONS_BYTES, media.maxUploadBytes) : media.maxUploadBytes;
  if (input.size > limit) {
    throw fieldError('payload_too_large', '/body/size', `the file is larger than the limit of ${mb(limit)}`);
  }
  if (Math.ceil(input.size / media.partSize) > MAX_PART_NUMBER) {
    throw fieldError('payload_too_large', '/body/size', 'the file needs more parts than an upload can have');
  }
  if (input.kind === 'captions') {
    if (!input.captionsFor) throw fieldError('validation_failed', '/body/captionsFor', 'captions need the video or audio they belong to');
    if (!input.language) throw fieldError('validation_failed', '/body/language', 'captions need their language, e.g. vi');
    const parent = await loadManagedAsset(db, actor, input.captionsFor, '/body/captionsFor');
    if (parent.kind === 'captions') throw fieldError('validation_failed', '/body/captionsFor', 'captions belong to a video or audio');
  }
  const assetId = randomUUID();
  const key = mediaKeys.source(assetId);
  const contentType = 'application/octet-stream';
  // The multipart upload exists before the rows that point at it; a failure in between leaves only
  // an empty upload the store expires, never a row pointing at nothing.
  const multipartUploadId = await store.createMultipartUpload(key, contentType);
  const session = await db.transaction(async (tx) => {
    await tx.insert(mediaAssets).values({
      id: assetId,
      ownerId: actor.userId,
      kind: input.kind,
      title: input.title.normalize('NFC'),
      status: 'uploading',
      captionsForId: input.captionsFor ?? null,
      captionsLanguage: input.language ?? null,
    });
    const [row] = await tx
      .insert(uploadSessions)
      .values({
        assetId,
        ownerId: actor.userId,
        objectKey: key,
        multipartUploadId,
        expectedSize: input.size,
        partSize: media.partSize,
        contentType,
        expiresAt: new Date(clock.now().getTime() + media.uploadTtlSeconds * 1000),
      })
      .returning();
    if (!row) throw new DomainError('internal', 'the upload could not be recorded');
    return row;
  });
  return uploadSessionView(db, session);
}
