import type { MediaAsset } from '@hts/contracts';
import { type MediaAssetRow, mediaAssets, uploadParts, uploadSessions } from '@hts/db';
import { readHead } from '@hts/storage';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { DomainError, fieldError } from '../shared/errors.ts';
import { captionsLabel, sortCaptions, toWebVtt } from './captions.ts';
import { detectMediaFormat, kindOfFormat, MAGIC_BYTES_NEEDED } from './magic-bytes.ts';
import { type MediaDeps, TRANSCODE_JOB } from './media-deps.ts';
import { mediaKeys } from './media-keys.ts';
import { toMediaView } from './media-view.ts';
import { loadOwnSession, partCountOf } from './upload-session-view.ts';

/**
 * Assembles the parts and decides by the file's first bytes what it is. A file that is not the
 * declared kind of media is deleted and refused with 415 before any transcoding; a video or audio
 * file is queued for transcoding; captions are converted to WebVTT and attached at once.
 */
export async function completeUpload(deps: MediaDeps, actor: Actor, sessionId: string): Promise<MediaAsset> {
  const { db, store } = deps;
  const session = await loadOwnSession(db, actor, sessionId);
  const [asset] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, session.assetId));
  if (!asset) throw new DomainError('not_found', 'the media of this upload no longer exists');
  // Completing twice (a retry after a lost answer) returns the same result.
  if (session.status === 'completed') return toMediaView(asset);
  if (session.status !== 'open') throw new DomainError('conflict', `this upload is ${session.status}`);

  const parts = await db.select().from(uploadParts).where(eq(uploadParts.sessionId, session.id)).orderBy(asc(uploadParts.partNumber));
  const count = partCountOf(session);
  const missing: number[] = [];
  for (let n = 1, i = 0; n <= count; n++) {
    if (parts[i]?.partNumber === n) i++;
    else missing.push(n);
  }
  if (missing.length > 0) {
    throw fieldError('conflict', '/parts', `parts not yet received: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`);
  }
  await store.completeMultipartUpload(
    session.objectKey,
    session.multipartUploadId,
    parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
  );

  const format = detectMediaFormat(await readHead(store, session.objectKey, MAGIC_BYTES_NEEDED));
  if (format === null || kindOfFormat(format) !== asset.kind) {
    await store.remove(session.objectKey);
    await db.transaction(async (tx) => {
      await tx.update(uploadSessions).set({ status: 'aborted', updatedAt: new Date() }).where(eq(uploadSessions.id, session.id));
      await tx.delete(mediaAssets).where(eq(mediaAssets.id, asset.id));
    });
    const expected = asset.kind === 'video' ? 'MP4, MOV, WebM or MKV' : asset.kind === 'audio' ? 'MP3 or M4A' : 'WebVTT or SRT';
    const found = format === null ? 'not a media file' : `a ${kindOfFormat(format)} file (${format})`;
    throw fieldError('unsupported_media_type', '/body', `the uploaded file is ${found}; send ${expected}`);
  }

  if (format === 'vtt' || format === 'srt') return attachCaptions(deps, asset, session.objectKey, format);

  const [updated] = await db.transaction(async (tx) => {
    await tx.update(uploadSessions).set({ status: 'completed', updatedAt: new Date() }).where(eq(uploadSessions.id, session.id));
    await enqueueJob(tx, TRANSCODE_JOB, { assetId: asset.id }, { dedupeKey: `${TRANSCODE_JOB}:${asset.id}` });
    return tx
      .update(mediaAssets)
      .set({ status: 'queued', progress: 0, sourceKey: session.objectKey, sourceFormat: format, sourceSize: session.expectedSize, updatedAt: new Date() })
      .where(eq(mediaAssets.id, asset.id))
      .returning();
  });
  return toMediaView(updated as MediaAssetRow);
}

async function attachCaptions(deps: MediaDeps, asset: MediaAssetRow, sourceKey: string, format: 'vtt' | 'srt'): Promise<MediaAsset> {
  const { db, store } = deps;
  const parentId = asset.captionsForId as string;
  const language = asset.captionsLanguage ?? 'vi';
  const vtt = toWebVtt((await store.getBuffer(sourceKey)).toString('utf8'), format);
  const key = mediaKeys.captions(parentId, asset.id);
  await store.put(key, Buffer.from(vtt, 'utf8'), { contentType: 'text/vtt; charset=utf-8' });
  const [updated] = await db.transaction(async (tx) => {
    await tx.update(uploadSessions).set({ status: 'completed', updatedAt: new Date() }).where(eq(uploadSessions.assetId, asset.id));
    const [parent] = await tx.select().from(mediaAssets).where(eq(mediaAssets.id, parentId)).for('update');
    if (parent) {
      const others = parent.captions.filter((c) => c.language !== language);
      const captions = sortCaptions([...others, { language, label: captionsLabel(language), key }]);
      await tx.update(mediaAssets).set({ captions, updatedAt: new Date() }).where(eq(mediaAssets.id, parentId));
    }
    return tx
      .update(mediaAssets)
      .set({ status: 'ready', progress: 100, sourceKey, sourceFormat: format, sourceSize: vtt.length, masterKey: key, updatedAt: new Date() })
      .where(eq(mediaAssets.id, asset.id))
      .returning();
  });
  return toMediaView(updated as MediaAssetRow);
}
