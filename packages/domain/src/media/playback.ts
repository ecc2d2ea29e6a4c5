import type { Playback } from '@hts/contracts';
import { type MediaAssetRow, mediaAssets } from '@hts/db';
import { childKey, keyParent } from '@hts/storage';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { canWatch } from './can-watch.ts';
import type { MediaDeps } from './media-deps.ts';
import { signPlaylistQuery, verifyPlaylistSignature } from './playlist-signing.ts';

type PlaybackDeps = Pick<MediaDeps, 'db' | 'store' | 'clock' | 'media'>;

const notFound = () => new DomainError('not_found', 'no media asset has this id', [{ field: '/params/id', message: 'no media asset has this id' }]);

async function loadWatchable(deps: PlaybackDeps, actor: Actor, assetId: string): Promise<MediaAssetRow> {
  const [asset] = await deps.db.select().from(mediaAssets).where(eq(mediaAssets.id, assetId));
  if (!asset || asset.kind === 'captions') throw notFound();
  if (!(await canWatch(deps.db, actor, asset))) throw new DomainError('forbidden', 'you may not watch this media');
  // a ready version keeps playing while a new transcode of the same asset runs
  if (!asset.masterKey) throw new DomainError('conflict', 'this media is not ready to play yet');
  return asset;
}

const expiresAt = (deps: PlaybackDeps) => Math.floor(deps.clock.now().getTime() / 1000) + deps.media.playbackUrlTtlSeconds;

/** What a player needs to start: the master playlist's path, a signed poster and the caption tracks. */
export async function getPlayback(deps: PlaybackDeps, actor: Actor, assetId: string): Promise<Playback> {
  const asset = await loadWatchable(deps, actor, assetId);
  const ttl = { expiresInSeconds: deps.media.playbackUrlTtlSeconds };
  return {
    masterUrl: `/api/media/${asset.id}/master.m3u8`,
    posterUrl: asset.posterKey ? await deps.store.signedGetUrl(asset.posterKey, ttl) : null,
    durationSeconds: asset.durationSeconds,
    captions: await Promise.all(asset.captions.map(async (c) => ({ language: c.language, label: c.label, url: await deps.store.signedGetUrl(c.key, ttl) }))),
  };
}

/** Lines of a playlist that are URIs (not tags, not blank). */
function mapUris(playlist: string, map: (uri: string) => string | Promise<string>): Promise<string> {
  return Promise.all(playlist.split('\n').map((line) => (line.trim() === '' || line.startsWith('#') ? line : map(line.trim())))).then((lines) =>
    lines.join('\n'),
  );
}

/**
 * The master playlist with each rendition playlist pointing at a signed, expiring URL (relative to
 * this playlist), so a player needs no token for what follows and a leaked URL soon stops working.
 */
export async function getMasterPlaylist(deps: PlaybackDeps, actor: Actor, assetId: string): Promise<string> {
  const asset = await loadWatchable(deps, actor, assetId);
  const master = (await deps.store.getBuffer(asset.masterKey as string)).toString('utf8');
  const byPlaylist = new Map(asset.renditions.map((r) => [r.playlistKey, r.name]));
  const prefix = asset.outputPrefix as string;
  const until = expiresAt(deps);
  return mapUris(master, (uri) => {
    const name = byPlaylist.get(childKey(prefix, ...uri.split('/')));
    if (!name) throw new DomainError('internal', `master playlist names an unknown rendition ${uri}`);
    return `playlists/${name}?${signPlaylistQuery(deps.media.playlistSigningSecret, asset.id, name, until)}`;
  });
}

/**
 * A rendition playlist for a signed URL from the master: every segment URL becomes a signed URL of
 * the object store itself (S3 presigned, or the local folder's), so segment bytes never pass through here.
 */
export async function getVariantPlaylist(deps: PlaybackDeps, assetId: string, name: string, query: { expires: string; signature: string }): Promise<string> {
  if (!verifyPlaylistSignature(deps.media.playlistSigningSecret, assetId, name, query.expires, query.signature, deps.clock.now().getTime())) {
    throw new DomainError('forbidden', 'this playlist link has expired or is not valid; reload the video');
  }
  const [asset] = await deps.db.select().from(mediaAssets).where(eq(mediaAssets.id, assetId));
  const rendition = asset?.masterKey ? asset.renditions.find((r) => r.name === name) : undefined;
  if (!rendition) throw notFound();
  const playlist = (await deps.store.getBuffer(rendition.playlistKey)).toString('utf8');
  const folder = keyParent(rendition.playlistKey);
  // Segments live as long as the playlist link that named them, so a paused video keeps working until then.
  const remaining = Math.max(1, Number(query.expires) - Math.floor(deps.clock.now().getTime() / 1000));
  return mapUris(playlist, (uri) => deps.store.signedGetUrl(childKey(folder, ...uri.split('/')), { expiresInSeconds: Math.min(remaining, 604_800) }));
}
