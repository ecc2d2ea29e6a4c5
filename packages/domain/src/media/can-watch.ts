import type { MediaAssetRow } from '@hts/db';
import { type Actor, hasAnyRole } from '../access/actor.ts';

/**
 * Who may watch an asset. For now: its owner, admins, and any signed-in user once it is published.
 * The course issue narrows the last case to enrolled learners; every playback path asks only this.
 */
export function canWatch(actor: Actor, asset: Pick<MediaAssetRow, 'ownerId' | 'published'>): boolean {
  if (asset.ownerId === actor.userId) return true;
  if (hasAnyRole(actor, ['admin'])) return true;
  return asset.published;
}
