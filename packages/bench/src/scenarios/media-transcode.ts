import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DatabaseHandle, mediaAssets, openDatabase, users } from '@hts/db';
import { ladderArguments, mediaKeys, planLadder, probeMedia, runFfmpeg, systemMediaTools, transcodeMedia } from '@hts/domain';
import { createObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { tempDir } from '../fixtures/databases.ts';
import type { Scale, Scenario } from '../scenario.ts';

/** The clip is 60 s of 720p (every rung of the ladder); the CI smoke transcodes 4 s of 360p. */
const clipOf: Record<Scale, { seconds: number; width: number; height: number }> = {
  small: { seconds: 4, width: 640, height: 360 },
  province: { seconds: 60, width: 1280, height: 720 },
};

/**
 * Transcoding a generated clip: the platform's `media.transcode` job (`transcodeMedia`, the handler the worker
 * loop runs: source from the object store, ffprobe, the HLS ladder, a poster, every file uploaded to the local
 * object store, the asset published in the database) against the bare ffmpeg command that produces the same
 * ladder into a folder. The two alternate round by round in the same run; the target is ≤ 1.5×.
 * The job's database is an in-memory PGlite (it holds one row; BENCH_DATABASE_URL does not apply).
 */
export const transcodeScenario: Scenario = {
  name: 'media.transcode',
  title: 'Transcoding a generated clip to the HLS ladder: the media.transcode job vs the bare ffmpeg command',
  unit: 'ms',
  better: 'lower',
  warmup: 1,
  rounds: { small: 3, province: 3 },
  async setup(ctx) {
    const clip = clipOf[ctx.scale];
    const work = await tempDir('transcode');
    const source = join(work, 'clip.mp4');
    // the same generator as the tests' clips: a moving test pattern with a tone, x264 ultrafast
    await promisify(execFile)('ffmpeg', [
      ...['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', `testsrc=size=${clip.width}x${clip.height}:rate=25`],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', String(clip.seconds)],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', source],
    ]);
    const probe = await probeMedia(systemMediaTools, source);
    const rungs = planLadder(probe.height);
    ctx.log(`media.transcode: ${clip.seconds} s of ${clip.width}x${clip.height}, rungs ${rungs.map((r) => r.name).join(', ')} + audio`);

    const database: DatabaseHandle = await openDatabase({});
    const store = createObjectStore({ kind: 'local', dir: join(work, 'objects'), publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
    await store.init();
    const [owner] = await database.db.insert(users).values({ fullName: 'Bench', passwordHash: 'x' }).returning({ id: users.id });
    let round = 0;
    // per side, every run including the warm-up one (dropped for the note below)
    const times = { bare: [] as number[], job: [] as number[] };
    const median = (values: number[]) => {
      const sorted = values.slice(1).sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    };

    return {
      reference: {
        label: 'bare ffmpeg, same ladder into a folder',
        async run() {
          const outDir = join(work, `bare-${++round}`);
          await mkdir(outDir);
          const { args } = ladderArguments({
            source,
            outDir,
            rungs,
            sourceWidth: probe.width,
            sourceHeight: probe.height,
            hasVideo: true,
            hasAudio: true,
          });
          const started = performance.now();
          await runFfmpeg(systemMediaTools, args);
          const ms = performance.now() - started;
          times.bare.push(ms);
          await rm(outDir, { recursive: true, force: true });
          return ms;
        },
      },
      subjects: [
        {
          label: 'platform: media.transcode job (store, ladder, poster, upload, publish)',
          async run() {
            // a queued asset whose source is in the store, as a completed upload leaves it
            const [asset] = await database.db
              .insert(mediaAssets)
              .values({ ownerId: owner?.id as string, kind: 'video', title: `bench ${++round}`, status: 'queued' })
              .returning({ id: mediaAssets.id });
            const id = asset?.id as string;
            await store.put(mediaKeys.source(id), createReadStream(source), { contentType: 'video/mp4' });
            await database.db
              .update(mediaAssets)
              .set({ sourceKey: mediaKeys.source(id), sourceFormat: 'mp4' })
              .where(eq(mediaAssets.id, id));
            const job = { id: crypto.randomUUID(), attempts: 1, maxAttempts: 1, payload: { assetId: id } };
            const started = performance.now();
            await transcodeMedia({ store, media: { keepSource: true }, workDir: work }, database.db, job, async () => {});
            const ms = performance.now() - started;
            times.job.push(ms);
            const [done] = await database.db
              .select({ status: mediaAssets.status, reason: mediaAssets.failureReason })
              .from(mediaAssets)
              .where(eq(mediaAssets.id, id));
            if (done?.status !== 'ready') throw new Error(`the transcode job did not publish the asset: ${done?.status} ${done?.reason ?? ''}`);
            await rm(join(work, 'objects', mediaKeys.root(id)), { recursive: true, force: true });
            return ms;
          },
        },
      ],
      // the figure: how many times the bare command's time the job takes (target ≤ 1.5)
      notes: () => ({
        clip: `${clip.seconds} s ${clip.width}x${clip.height}`,
        rungs: rungs.length + 1,
        'job ÷ bare (median time, target ≤ 1.5)': (median(times.job) / median(times.bare)).toFixed(2),
      }),
      async close() {
        await database.close();
      },
    };
  },
};
