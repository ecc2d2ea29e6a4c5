import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Db, jobs, mediaAssets, users } from '@hts/db';
import { listKeys, type ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob, enqueueJob } from '../jobs/job-queue.ts';
import { startWorkerLoop } from '../jobs/worker-loop.ts';
import { generateClip, openMediaTestbed, probeStreams } from '../testing.ts';
import { TRANSCODE_JOB } from './media-deps.ts';
import { mediaKeys } from './media-keys.ts';
import { mediaJobHandlers, transcodeMedia } from './transcode-media.ts';

let bed: Awaited<ReturnType<typeof openMediaTestbed>>;
let h: { db: Db };
let store: ObjectStore;
let dir: string;
let ownerId: string;
let clip720: Buffer;
let clipSmall: Buffer;

beforeAll(async () => {
  bed = await openMediaTestbed();
  ({ store, dir } = bed);
  h = bed;
  const [user] = await h.db.insert(users).values({ fullName: 'Giảng viên Thử', passwordHash: 'x', email: 'gv@example.vn' }).returning();
  ownerId = (user as { id: string }).id;
  await generateClip(path.join(dir, '720.mp4'), { width: 1280, height: 720, seconds: 3 });
  await generateClip(path.join(dir, 'small.mp4'), { width: 320, height: 240, seconds: 2 });
  clip720 = await readFile(path.join(dir, '720.mp4'));
  clipSmall = await readFile(path.join(dir, 'small.mp4'));
}, 120_000);

afterAll(async () => bed?.close());

async function queuedAsset(bytes: Buffer, kind: 'video' | 'audio' = 'video') {
  const [asset] = await h.db.insert(mediaAssets).values({ ownerId, kind, title: 'Bài học', status: 'queued' }).returning();
  const id = (asset as { id: string }).id;
  const sourceKey = mediaKeys.source(id);
  await store.put(sourceKey, bytes);
  await h.db.update(mediaAssets).set({ sourceKey, sourceFormat: 'mp4' }).where(eq(mediaAssets.id, id));
  return id;
}

const load = async (id: string) => (await h.db.select().from(mediaAssets).where(eq(mediaAssets.id, id)))[0];
const job = (id: string, attempts = 1) => ({
  id: `00000000-0000-4000-8000-${String(attempts).padStart(12, '0')}`,
  attempts,
  maxAttempts: 3,
  payload: { assetId: id },
});
const noProgress = async () => {};

describe('transcodeMedia', () => {
  it('turns a 720p clip into a 4-rung HLS ladder, an audio rendition and a poster that ffprobe can read', async () => {
    const id = await queuedAsset(clip720);
    const seen: number[] = [];
    await transcodeMedia({ store, media: { keepSource: true } }, h.db, job(id), async (p) => {
      seen.push(p);
    });
    const asset = await load(id);
    expect(asset?.status).toBe('ready');
    expect(asset?.renditions.map((r) => r.name)).toEqual(['234p', '360p', '540p', '720p', 'audio']);
    expect(asset?.durationSeconds).toBeCloseTo(3, 0);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBeGreaterThanOrEqual(90);
    const master = (await store.getBuffer(asset?.masterKey as string)).toString();
    expect(master).toContain('RESOLUTION=1280x720');
    // ffprobe reads every rendition straight from the stored playlists and segments.
    const objects = path.join(dir, 'objects');
    for (const rendition of asset?.renditions ?? []) {
      const probe = await probeStreams(path.join(objects, rendition.playlistKey));
      expect(probe.duration, rendition.name).toBeGreaterThan(2.5);
      const video = probe.streams.find((s) => s.codec_type === 'video');
      if (rendition.name === 'audio') expect(video).toBeUndefined();
      else expect(video?.height, rendition.name).toBe(rendition.height);
      expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);
      const playlist = (await store.getBuffer(rendition.playlistKey)).toString();
      for (const match of playlist.matchAll(/#EXTINF:([0-9.]+)/g)) expect(Number(match[1])).toBeLessThanOrEqual(2.1);
    }
    expect(await store.exists(asset?.posterKey as string)).toBe(true);
    expect(asset?.sourceKey).not.toBeNull();
  }, 120_000);

  it('never upscales: a 240p source gets only the 234p rung and the audio rendition', async () => {
    const id = await queuedAsset(clipSmall);
    await transcodeMedia({ store, media: { keepSource: false } }, h.db, job(id), noProgress);
    const asset = await load(id);
    expect(asset?.renditions.map((r) => r.name)).toEqual(['234p', 'audio']);
    // The source policy: deleted after a successful transcode when sources are not kept.
    expect(asset?.sourceKey).toBeNull();
    expect(await store.exists(mediaKeys.source(id))).toBe(false);
  }, 60_000);

  it('fails a file ffmpeg cannot decode with a readable reason and keeps the source', async () => {
    const corrupt = Buffer.concat([clipSmall.subarray(0, 64), Buffer.alloc(20_000, 0x42)]);
    const id = await queuedAsset(corrupt);
    await transcodeMedia({ store, media: { keepSource: false } }, h.db, job(id), noProgress);
    const asset = await load(id);
    expect(asset?.status).toBe('failed');
    expect(asset?.failureReason).toMatch(/ffprobe|ffmpeg/);
    expect(await store.exists(mediaKeys.source(id))).toBe(true);
    expect(asset?.masterKey).toBeNull();
  }, 60_000);

  it('leaves nothing published when the upload fails mid-way, and a retry publishes a clean version', async () => {
    const id = await queuedAsset(clipSmall);
    let puts = 0;
    const flaky: ObjectStore = Object.create(store);
    flaky.put = async (...args) => {
      puts += 1;
      if (puts === 3) throw new Error('connection reset by the object store');
      return store.put(...args);
    };
    await expect(transcodeMedia({ store: flaky, media: { keepSource: true } }, h.db, job(id, 1), noProgress)).rejects.toThrow(/connection reset/);
    let asset = await load(id);
    expect(asset?.status).toBe('queued');
    expect(asset?.masterKey).toBeNull();
    const leftover = (await listKeys(store, mediaKeys.root(id))).filter((k) => k.includes('/hls-'));
    expect(leftover.length).toBeGreaterThan(0);

    await transcodeMedia({ store, media: { keepSource: true } }, h.db, job(id, 2), noProgress);
    asset = await load(id);
    expect(asset?.status).toBe('ready');
    const versions = new Set((await listKeys(store, mediaKeys.root(id))).filter((k) => k.includes('/hls-')).map((k) => k.split('/')[2]));
    expect([...versions]).toEqual([asset?.outputPrefix?.split('/')[2]]);
  }, 60_000);

  it('marks the asset failed when the last attempt dies, with the reason', async () => {
    const id = await queuedAsset(clipSmall);
    const broken: ObjectStore = Object.create(store);
    broken.put = async () => {
      throw new Error('disk full');
    };
    await expect(transcodeMedia({ store: broken, media: { keepSource: true } }, h.db, job(id, 3), noProgress)).rejects.toThrow();
    const asset = await load(id);
    expect(asset).toMatchObject({ status: 'failed', masterKey: null });
    expect(asset?.failureReason).toContain('disk full');
  }, 60_000);

  it('survives ffmpeg being killed mid-job: the worker loop retries and publishes', async () => {
    const id = await queuedAsset(clipSmall);
    // A fake ffmpeg that kills itself the first time, like a worker losing its child process.
    const killer = path.join(dir, 'ffmpeg-killed-once.sh');
    const marker = path.join(dir, 'killed-once');
    await writeFile(killer, `#!/bin/sh\nif [ ! -e "${marker}" ]; then touch "${marker}"; kill -9 $$; fi\nexec ffmpeg "$@"\n`, { mode: 0o755 });
    await enqueueJob(h.db, TRANSCODE_JOB, { assetId: id });
    const handlers = mediaJobHandlers({ store, media: { keepSource: true }, tools: { ffmpeg: killer, ffprobe: 'ffprobe' } });
    const worker = startWorkerLoop({ db: h.db, handlers, log: { info: () => {}, error: () => {} }, pollMs: 50 });
    try {
      for (let i = 0; i < 100 && (await load(id))?.status !== 'queued'; i++) await new Promise((r) => setTimeout(r, 100));
      // First attempt died: the asset is back in the queue, unpublished.
      expect(await load(id)).toMatchObject({ status: 'queued', masterKey: null });
      await h.db
        .update(jobs)
        .set({ runAt: new Date(0) })
        .where(eq(jobs.kind, TRANSCODE_JOB));
      for (let i = 0; i < 600 && (await load(id))?.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
    }
    expect((await load(id))?.status).toBe('ready');
    expect(await claimJob(h.db, 'w', [TRANSCODE_JOB])).toBeNull();
  }, 120_000);
});
