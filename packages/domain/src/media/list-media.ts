import type { MediaAssetList } from '@hts/contracts';
import { type Db, mediaAssets } from '@hts/db';
import { desc, eq, ne } from 'drizzle-orm';
import { type Actor, hasAnyRole, requireRole } from '../access/actor.ts';
import { toMediaView } from './media-view.ts';

/** A trainer's own media, newest first (an admin sees everyone's); captions appear on their video. */
export async function listMedia(deps: { db: Db }, actor: Actor): Promise<MediaAssetList> {
  requireRole(actor, ['trainer', 'admin']);
  const rows = await deps.db
    .select()
    .from(mediaAssets)
    .where(hasAnyRole(actor, ['admin']) ? ne(mediaAssets.kind, 'captions') : eq(mediaAssets.ownerId, actor.userId))
    .orderBy(desc(mediaAssets.createdAt))
    .limit(200);
  return { items: rows.filter((r) => r.kind !== 'captions').map(toMediaView) };
}
