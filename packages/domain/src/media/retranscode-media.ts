import type { MediaAsset } from '@hts/contracts';
import { type Db, type MediaAssetRow, mediaAssets } from '@hts/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { DomainError } from '../shared/errors.ts';
import { TRANSCODE_JOB } from './media-deps.ts';
import { loadManagedAsset, toMediaView } from './media-view.ts';

/**
 * Queues a finished (or failed) video or audio for transcoding again from its kept source, e.g. after a
 * ladder change or a failure the trainer has fixed nothing about but wants retried. The version learners
 * play stays until the new one is ready, which replaces it in one update.
 */
export async function retranscodeMedia(deps: { db: Db }, actor: Actor, assetId: string): Promise<MediaAsset> {
  const asset = await loadManagedAsset(deps.db, actor, assetId);
  if (asset.kind === 'captions') throw new DomainError('not_found', 'captions are not transcoded', [{ field: '/params/id', message: 'a captions file' }]);
  if (!asset.sourceKey) throw new DomainError('conflict', 'the source file was not kept (MEDIA_KEEP_SOURCE=false); upload it again');
  const row = await deps.db.transaction(async (tx) => {
    const [queued] = await tx
      .update(mediaAssets)
      .set({ status: 'queued', progress: 0, failureReason: null, updatedAt: new Date() })
      .where(and(eq(mediaAssets.id, asset.id), inArray(mediaAssets.status, ['ready', 'failed'])))
      .returning();
    if (!queued) throw new DomainError('conflict', `this media is ${asset.status}: wait until it is ready or failed`);
    await enqueueJob(tx, TRANSCODE_JOB, { assetId: asset.id }, { dedupeKey: `${TRANSCODE_JOB}:${asset.id}` });
    return queued;
  });
  return toMediaView(row as MediaAssetRow);
}
