import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, jobs, mediaAssets, users } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { createObjectStore, type ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VIDEO_TITLE, ensureDemoVideo } from './demo-video.ts';
import { TRANSCODE_JOB } from './media-deps.ts';

let h: DatabaseHandle;
let store: ObjectStore;
let dir: string;
beforeAll(async () => {
  h = await openTestDatabase(process.env.TEST_DATABASE_URL);
  dir = await mkdtemp(path.join(tmpdir(), 'hts-demo-video-test-'));
  store = createObjectStore({ kind: 'local', dir, publicBaseUrl: 'http://localhost/objects', signingSecret: 's'.repeat(40) });
  await store.init();
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ensureDemoVideo', () => {
  it('skips when there is no demo trainer', async () => {
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('skipped');
  });

  it('generates a published clip for the demo trainer once and queues it for transcoding', async () => {
    await h.db.insert(users).values({ fullName: 'Giảng viên Demo', passwordHash: 'x', email: 'trainer@demo.local' });
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('created');
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('exists');
    const [asset] = await h.db.select().from(mediaAssets).where(eq(mediaAssets.title, DEMO_VIDEO_TITLE));
    expect(asset).toMatchObject({ status: 'queued', published: true, sourceFormat: 'mp4' });
    expect(await store.exists(asset?.sourceKey as string)).toBe(true);
    const queued = await h.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB));
    expect(queued).toHaveLength(1);
  }, 60_000);
});
