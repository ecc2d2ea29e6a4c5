import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Db, type JobRow, type MediaRendition, mediaAssets } from '@hts/db';
import { childKey, type ObjectStore } from '@hts/storage';
import { and, eq } from 'drizzle-orm';
import type { JobHandler } from '../jobs/worker-loop.ts';
import { type MediaTools, probeMedia, runFfmpeg, systemMediaTools, UndecodableMediaError } from './ffmpeg.ts';
import { ladderArguments, masterPlaylist, planLadder } from './ladder.ts';
import { type MediaSettings, TRANSCODE_JOB } from './media-deps.ts';
import { mediaKeys, OUTPUT_VERSION_PREFIX } from './media-keys.ts';
import { PURGE_UPLOADS_JOB, purgeExpiredUploads } from './purge-expired-uploads.ts';

export interface TranscodeDeps {
  store: ObjectStore;
  media: Pick<MediaSettings, 'keepSource'>;
  tools?: MediaTools;
  /** Where the work folder goes; the OS temp folder by default. */
  workDir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
};

async function filesUnder(folder: string, relative = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(folder, relative), { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(folder, rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Removes outputs of earlier attempts that never got published (a worker killed mid-upload leaves them). */
async function removeStaleOutputs(store: ObjectStore, assetId: string, keep: Set<string>): Promise<void> {
  const root = mediaKeys.root(assetId);
  const prefixes = new Set<string>();
  for await (const key of store.list(root)) {
    const version = key.slice(root.length + 1).split('/')[0] ?? '';
    if (version.startsWith(OUTPUT_VERSION_PREFIX) && !keep.has(version)) prefixes.add(version);
  }
  for (const version of prefixes) await store.removePrefix(mediaKeys.output(assetId, version));
}

/**
 * Transcodes one asset to an HLS ladder. Everything is made in a temp folder, uploaded under a new
 * versioned prefix, and only then does the asset flip to `ready`, in one update. A job killed at any
 * point leaves the asset unpublished; the queue retries it, and the retry clears what was left behind.
 * A file ffmpeg cannot decode fails the asset with ffmpeg's reason (no retry) and keeps the source.
 */
export async function transcodeMedia(
  deps: TranscodeDeps,
  db: Db,
  job: Pick<JobRow, 'id' | 'attempts' | 'maxAttempts' | 'payload'>,
  reportProgress: (percent: number) => Promise<void>,
): Promise<void> {
  const assetId = typeof job.payload.assetId === 'string' ? job.payload.assetId : '';
  const [asset] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, assetId));
  if (!asset || asset.kind === 'captions' || asset.sourceKey === null) return; // deleted meanwhile, or nothing to do
  if (asset.status === 'ready' || asset.status === 'failed') return; // an earlier run of this job finished it
  const tools = deps.tools ?? systemMediaTools;
  const { store } = deps;
  const version = `${OUTPUT_VERSION_PREFIX}${job.id.slice(0, 8)}-${job.attempts}`;
  const outputPrefix = mediaKeys.output(assetId, version);
  const work = await mkdtemp(path.join(deps.workDir ?? tmpdir(), 'hts-transcode-'));

  let lastPercent = -1;
  let lastWrite = 0;
  const progress = async (percent: number, force = false) => {
    const p = Math.max(0, Math.min(100, Math.floor(percent)));
    if (!force && (p === lastPercent || Date.now() - lastWrite < 500)) return;
    lastPercent = p;
    lastWrite = Date.now();
    await db.update(mediaAssets).set({ progress: p, updatedAt: new Date() }).where(eq(mediaAssets.id, assetId));
    await reportProgress(p);
  };

  try {
    await db.update(mediaAssets).set({ status: 'transcoding', progress: 0, failureReason: null, updatedAt: new Date() }).where(eq(mediaAssets.id, assetId));
    await removeStaleOutputs(store, assetId, new Set(asset.outputPrefix ? [asset.outputPrefix.split('/').pop() as string] : []));
    const source = path.join(work, 'source');
    await pipeline(await store.get(asset.sourceKey), createWriteStream(source));
    const probe = await probeMedia(tools, source);
    const hasVideo = asset.kind === 'video' && probe.hasVideo;
    if (asset.kind === 'video' && !hasVideo) throw new UndecodableMediaError('the file has no video stream');
    if (!probe.hasAudio && !hasVideo) throw new UndecodableMediaError('the file has no audio stream');

    const outDir = path.join(work, 'out');
    await mkdir(outDir);
    const { args, renditions } = ladderArguments({
      source,
      outDir,
      rungs: hasVideo ? planLadder(probe.height) : [],
      sourceWidth: probe.width,
      sourceHeight: probe.height,
      hasVideo,
      hasAudio: probe.hasAudio,
    });
    // Transcoding is ~90% of the work; uploading the result the rest.
    await runFfmpeg(tools, args, (seconds) => void progress((seconds / probe.durationSeconds) * 90).catch(() => {}));
    if (hasVideo) {
      const at = Math.min(1, probe.durationSeconds / 2).toFixed(2);
      await runFfmpeg(tools, [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-ss',
        at,
        '-i',
        source,
        '-frames:v',
        '1',
        '-vf',
        'scale=-2:360',
        '-q:v',
        '4',
        path.join(outDir, 'poster.jpg'),
      ]);
    }
    await writeFile(path.join(outDir, 'master.m3u8'), masterPlaylist(renditions));
    await progress(90, true);

    const files = await filesUnder(outDir);
    for (const [i, file] of files.entries()) {
      await store.put(childKey(outputPrefix, ...file.split('/')), createReadStream(path.join(outDir, file)), {
        contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      });
      await progress(90 + ((i + 1) / files.length) * 9);
    }

    const published: MediaRendition[] = renditions.map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: r.bandwidth,
      playlistKey: childKey(outputPrefix, ...r.playlist.split('/')),
    }));
    // The one moment the new version becomes visible: every key it names is already in the store.
    const [flipped] = await db
      .update(mediaAssets)
      .set({
        status: 'ready',
        progress: 100,
        durationSeconds: probe.durationSeconds,
        width: hasVideo ? probe.width : null,
        height: hasVideo ? probe.height : null,
        renditions: published,
        masterKey: childKey(outputPrefix, 'master.m3u8'),
        posterKey: hasVideo ? childKey(outputPrefix, 'poster.jpg') : null,
        outputPrefix,
        failureReason: null,
        updatedAt: new Date(),
      })
      .where(and(eq(mediaAssets.id, assetId), eq(mediaAssets.status, 'transcoding')))
      .returning({ id: mediaAssets.id });
    if (!flipped) {
      await store.removePrefix(outputPrefix); // deleted or changed meanwhile: publish nothing
      return;
    }
    if (asset.outputPrefix && asset.outputPrefix !== outputPrefix) await store.removePrefix(asset.outputPrefix).catch(() => {});
    if (!deps.media.keepSource) {
      await store.remove(asset.sourceKey);
      await db.update(mediaAssets).set({ sourceKey: null }).where(eq(mediaAssets.id, assetId));
    }
  } catch (error) {
    if (error instanceof UndecodableMediaError) {
      // Retrying cannot help; the trainer sees why, and the source stays for them.
      await db.update(mediaAssets).set({ status: 'failed', failureReason: error.message, updatedAt: new Date() }).where(eq(mediaAssets.id, assetId));
      await store.removePrefix(outputPrefix).catch(() => {});
      return;
    }
    const lastAttempt = job.attempts >= job.maxAttempts;
    await db
      .update(mediaAssets)
      .set(
        lastAttempt
          ? { status: 'failed', failureReason: `transcoding failed: ${(error as Error).message}`.slice(0, 1000), updatedAt: new Date() }
          : { status: 'queued', updatedAt: new Date() },
      )
      .where(eq(mediaAssets.id, assetId));
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The media handlers for the worker loop; the API (embedded) and apps/worker both register them. */
export function mediaJobHandlers(deps: TranscodeDeps): Record<string, JobHandler> {
  return {
    [TRANSCODE_JOB]: (job, ctx) => transcodeMedia(deps, ctx.db, job, ctx.progress),
    [PURGE_UPLOADS_JOB]: async (_job, ctx) => {
      await purgeExpiredUploads({ db: ctx.db, store: deps.store }, new Date());
    },
  };
}

export const mediaSchedules = [{ kind: PURGE_UPLOADS_JOB, everyMs: 60 * 60 * 1000 }];
