import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Db } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { createObjectStore, type ObjectStore } from '@hts/storage';

const run = promisify(execFile);

/** Test helpers shared with the API tests: never imported by production code. */

/** Generates a short test clip with ffmpeg (colour bars and a tone): what the media tests transcode. */
export async function generateClip(file: string, options: { width?: number; height?: number; seconds?: number; audio?: boolean } = {}): Promise<void> {
  const { width = 640, height = 360, seconds = 3, audio = true } = options;
  const args = ['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=25`];
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  args.push('-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-movflags', '+faststart', file);
  await run('ffmpeg', args);
}

/** ffprobe's view of a file: the streams it can decode, and the duration. */
export async function probeStreams(fileOrUrl: string): Promise<{ streams: Array<{ codec_type: string; width?: number; height?: number }>; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', fileOrUrl]);
  const info = JSON.parse(stdout) as { streams: Array<{ codec_type: string; width?: number; height?: number }>; format: { duration?: string } };
  return { streams: info.streams, duration: Number(info.format.duration ?? 0) };
}

/** A fresh database and a local object folder in a temp dir, for media tests; `close` removes both. */
export async function openMediaTestbed(): Promise<{ db: Db; store: ObjectStore; dir: string; close(): Promise<void> }> {
  const handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  const dir = await mkdtemp(path.join(tmpdir(), 'hts-media-test-'));
  const store = createObjectStore({ kind: 'local', dir: path.join(dir, 'objects'), publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
  await store.init();
  return {
    db: handle.db,
    store,
    dir,
    close: async () => {
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export * from './credentials/fixture.ts';
export * from './indicators/fixture.ts';
