import type { MediaAsset } from '@hts/contracts';
import { type Db, type MediaAssetRow, mediaAssets } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { loadManagedAsset, toMediaView } from './media-view.ts';

export async function setMediaPublished(deps: { db: Db }, actor: Actor, assetId: string, published: boolean): Promise<MediaAsset> {
  const asset = await loadManagedAsset(deps.db, actor, assetId);
  if (published && asset.status !== 'ready') throw new DomainError('conflict', 'only media that finished transcoding can be published');
  const [row] = await deps.db.update(mediaAssets).set({ published, updatedAt: new Date() }).where(eq(mediaAssets.id, asset.id)).returning();
  return toMediaView(row as MediaAssetRow);
}
