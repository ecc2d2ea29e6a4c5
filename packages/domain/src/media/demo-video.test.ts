import { type Db, jobs, mediaAssets, users } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMediaTestbed } from '../testing.ts';
import { DEMO_VIDEO_ID, DEMO_VIDEO_TITLE, ensureDemoVideo } from './demo-video.ts';
import { TRANSCODE_JOB } from './media-deps.ts';

let bed: Awaited<ReturnType<typeof openMediaTestbed>>;
let h: { db: Db };
let store: ObjectStore;
beforeAll(async () => {
  bed = await openMediaTestbed();
  h = bed;
  store = bed.store;
});
afterAll(async () => bed?.close());

describe('ensureDemoVideo', () => {
  it('skips when there is no demo trainer', async () => {
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('skipped');
  });

  it('generates the clip under its fixed id for the demo trainer once and queues it for transcoding', async () => {
    await h.db.insert(users).values({ fullName: 'Giảng viên Demo', passwordHash: 'x', email: 'trainer@demo.local' });
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('created');
    expect(await ensureDemoVideo({ db: h.db, store })).toBe('exists');
    const [asset] = await h.db.select().from(mediaAssets).where(eq(mediaAssets.title, DEMO_VIDEO_TITLE));
    expect(asset).toMatchObject({ id: DEMO_VIDEO_ID, status: 'queued', sourceFormat: 'mp4' });
    expect(await store.exists(asset?.sourceKey as string)).toBe(true);
    const queued = await h.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB));
    expect(queued).toHaveLength(1);
  }, 60_000);
});
