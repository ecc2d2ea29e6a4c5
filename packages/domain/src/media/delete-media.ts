import { courses, courseVersionMedia, courseVersions, type Db, mediaAssets, uploadSessions } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import { and, eq, or } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { mediaKeys } from './media-keys.ts';
import { loadManagedAsset } from './media-view.ts';

/**
 * Deletes a trainer's video or audio with its captions, renditions and source. Refused (409) while a
 * published course version plays it: learners pinned to that version must keep their lesson. A draft that
 * names it is caught when the draft is saved or published next.
 */
export async function deleteMedia(deps: { db: Db; store: ObjectStore }, actor: Actor, assetId: string): Promise<void> {
  const asset = await loadManagedAsset(deps.db, actor, assetId);
  if (asset.kind === 'captions')
    throw new DomainError('not_found', 'captions are deleted with their video', [{ field: '/params/id', message: 'a captions file' }]);
  const sessions = await deps.db.transaction(async (tx) => {
    // the row lock makes a publish naming this asset wait for the answer (its foreign key then fails)
    await tx.select({ id: mediaAssets.id }).from(mediaAssets).where(eq(mediaAssets.id, asset.id)).for('update');
    const users = await tx
      .selectDistinct({ title: courses.title })
      .from(courseVersionMedia)
      .innerJoin(courseVersions, eq(courseVersions.id, courseVersionMedia.versionId))
      .innerJoin(courses, eq(courses.id, courseVersions.courseId))
      .where(eq(courseVersionMedia.assetId, asset.id))
      .limit(5);
    if (users.length > 0) {
      throw new DomainError('conflict', `a published course plays this video: ${users.map((u) => u.title).join(', ')}`, [
        { field: '/params/id', message: 'used by a published course version' },
      ]);
    }
    const open = await tx
      .select({ objectKey: uploadSessions.objectKey, uploadId: uploadSessions.multipartUploadId })
      .from(uploadSessions)
      .where(and(eq(uploadSessions.assetId, asset.id), eq(uploadSessions.status, 'open')));
    await tx.delete(mediaAssets).where(or(eq(mediaAssets.captionsForId, asset.id), eq(mediaAssets.id, asset.id)));
    return open;
  });
  // Objects go after the rows: a failure here leaves unreachable files, never a record without its files.
  for (const s of sessions) await deps.store.abortMultipartUpload(s.objectKey, s.uploadId).catch(() => {});
  await deps.store.removePrefix(mediaKeys.root(asset.id));
}
