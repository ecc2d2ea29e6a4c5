/**
 * `pnpm bench`: the media pipeline against the bare ffmpeg command that produces the same ladder, run
 * side by side on a clip generated here (60 s of 720p by default; BENCH_SECONDS to change it). Prints the
 * ratio; the target is ≤ 1.5×. Not a timed test: the numbers depend on the machine.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mediaAssets, openDatabase, users } from '@hts/db';
import { createObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { probeMedia, runFfmpeg, systemMediaTools } from '../src/media/ffmpeg.ts';
import { ladderArguments, planLadder } from '../src/media/ladder.ts';
import { mediaKeys } from '../src/media/media-keys.ts';
import { transcodeMedia } from '../src/media/transcode-media.ts';
import { generateClip } from '../src/testing.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const dir = await mkdtemp(path.join(tmpdir(), 'hts-bench-'));
try {
  const clip = path.join(dir, 'clip.mp4');
  await generateClip(clip, { width: 1280, height: 720, seconds });

  // 1. The bare ffmpeg command for the same ladder, writing to a folder.
  const bareOut = path.join(dir, 'bare');
  await mkdir(bareOut);
  const probe = await probeMedia(systemMediaTools, clip);
  const { args } = ladderArguments({
    source: clip,
    outDir: bareOut,
    rungs: planLadder(probe.height),
    sourceWidth: probe.width,
    sourceHeight: probe.height,
    hasVideo: true,
    hasAudio: true,
  });
  let started = performance.now();
  await runFfmpeg(systemMediaTools, args);
  const bareMs = performance.now() - started;

  // 2. The pipeline: download from the store, probe, ladder, poster, upload, publish.
  const database = await openDatabase({});
  const store = createObjectStore({ kind: 'local', dir: path.join(dir, 'objects'), publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
  await store.init();
  const [user] = await database.db.insert(users).values({ fullName: 'Bench', passwordHash: 'x' }).returning();
  const [asset] = await database.db
    .insert(mediaAssets)
    .values({ ownerId: user?.id as string, kind: 'video', title: 'bench', status: 'queued' })
    .returning();
  const id = asset?.id as string;
  const { createReadStream } = await import('node:fs');
  await store.put(mediaKeys.source(id), createReadStream(clip));
  await database.db
    .update(mediaAssets)
    .set({ sourceKey: mediaKeys.source(id) })
    .where(eq(mediaAssets.id, id));
  started = performance.now();
  await transcodeMedia(
    { store, media: { keepSource: true } },
    database.db,
    { id: '00000000-0000-4000-8000-000000000001', attempts: 1, maxAttempts: 1, payload: { assetId: id } },
    async () => {},
  );
  const pipelineMs = performance.now() - started;
  await database.close();

  const ratio = pipelineMs / bareMs;
  console.log(
    `transcode ${seconds} s of 720p: bare ffmpeg ${(bareMs / 1000).toFixed(1)} s, pipeline ${(pipelineMs / 1000).toFixed(1)} s, ratio ${ratio.toFixed(2)}× (target ≤ 1.5×)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
