import { mediaAssets } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import type { MediaDeps } from './media-deps.ts';
import { loadOwnSession } from './upload-session-view.ts';

/** Abandons an unfinished upload: its parts are discarded and its media record goes with it. */
export async function abortUpload(deps: MediaDeps, actor: Actor, sessionId: string): Promise<void> {
  const session = await loadOwnSession(deps.db, actor, sessionId);
  if (session.status === 'completed') throw new DomainError('conflict', 'this upload is complete; delete the media instead');
  await deps.store.abortMultipartUpload(session.objectKey, session.multipartUploadId);
  // Deleting the asset removes the session and its parts (on delete cascade).
  await deps.db.delete(mediaAssets).where(eq(mediaAssets.id, session.assetId));
}
