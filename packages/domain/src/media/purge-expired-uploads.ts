import { type Db, mediaAssets, uploadSessions } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import { and, eq, lt } from 'drizzle-orm';

export const PURGE_UPLOADS_JOB = 'media.purge-uploads';

/** Uploads left unfinished past their expiry: their parts are discarded and their media record removed. */
export async function purgeExpiredUploads(deps: { db: Db; store: ObjectStore }, now: Date): Promise<number> {
  const expired = await deps.db
    .select()
    .from(uploadSessions)
    .where(and(eq(uploadSessions.status, 'open'), lt(uploadSessions.expiresAt, now)))
    .limit(500);
  for (const session of expired) {
    await deps.store.abortMultipartUpload(session.objectKey, session.multipartUploadId);
    await deps.db.delete(mediaAssets).where(and(eq(mediaAssets.id, session.assetId), eq(mediaAssets.status, 'uploading')));
  }
  return expired.length;
}
