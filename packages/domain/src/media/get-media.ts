import type { MediaAsset } from '@hts/contracts';
import type { Db } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { loadManagedAsset, toMediaView } from './media-view.ts';

/** One asset with its live transcoding state, for its owner or an admin. */
export async function getMedia(deps: { db: Db }, actor: Actor, assetId: string): Promise<MediaAsset> {
  return toMediaView(await loadManagedAsset(deps.db, actor, assetId));
}
