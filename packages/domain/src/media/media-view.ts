import type { MediaAsset } from '@hts/contracts';
import { type Db, type MediaAssetRow, mediaAssets } from '@hts/db';
import { eq } from 'drizzle-orm';
import { type Actor, hasAnyRole } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';

export function toMediaView(row: MediaAssetRow): MediaAsset {
  return {
    id: row.id,
    ownerId: row.ownerId,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progress: row.progress,
    failureReason: row.failureReason,
    sourceFormat: row.sourceFormat,
    sourceSize: row.sourceSize,
    sourceKept: row.sourceKey !== null,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    renditions: row.renditions.map(({ name, width, height, bandwidth }) => ({ name, width, height, bandwidth })),
    captions: row.captions.map(({ language, label }) => ({ language, label })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function canManageMedia(actor: Actor, asset: Pick<MediaAssetRow, 'ownerId'>): boolean {
  return asset.ownerId === actor.userId || hasAnyRole(actor, ['admin']);
}

/** The asset when the actor owns it (or is an admin); otherwise not_found, so ids of others leak nothing. */
export async function loadManagedAsset(db: Db, actor: Actor, assetId: string, field = '/params/id'): Promise<MediaAssetRow> {
  const [row] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, assetId));
  if (!row || !canManageMedia(actor, row)) throw new DomainError('not_found', 'no media asset has this id', [{ field, message: 'no media asset has this id' }]);
  return row;
}
