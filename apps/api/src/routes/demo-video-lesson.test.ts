import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { courses, mediaAssets } from '@hts/db';
import { DEMO_VIDEO_ID, mediaJobHandlers, startWorkerLoop } from '@hts/domain';
import { createObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../testing/test-app.ts';

const PHONE_COURSE = 'dien-thoai-thong-minh-an-toan';
const LESSON = 'lam-quen.video-lam-quen';

describe('the demo video lesson of the embedded default', () => {
  let t: TestApp;
  let dataDir: string;
  let courseId: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hts-demo-data-'));
    const objectStore = createObjectStore({
      kind: 'local',
      dir: path.join(dataDir, 'objects'),
      publicBaseUrl: 'http://localhost:3000/objects',
      signingSecret: 'x'.repeat(40),
    });
    t = await createTestApp({ demoVideo: true, objectStore });
    // the in-process worker, as the embedded API runs it, takes the queued transcode
    const worker = startWorkerLoop({
      db: t.db,
      handlers: mediaJobHandlers({ store: objectStore, media: { keepSource: false } }),
      log: { info: () => {}, error: () => {} },
      pollMs: 100,
    });
    try {
      for (let i = 0; i < 600; i++) {
        const [asset] = await t.db.select({ status: mediaAssets.status }).from(mediaAssets).where(eq(mediaAssets.id, DEMO_VIDEO_ID));
        if (asset?.status === 'ready' || asset?.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.stop();
    }
    const [course] = await t.db.select({ id: courses.id }).from(courses).where(eq(courses.slug, PHONE_COURSE));
    courseId = course?.id as string;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets an enrolled citizen open the lesson and get a signed master playlist whose renditions are in the data folder', async () => {
    const [asset] = await t.db.select().from(mediaAssets).where(eq(mediaAssets.id, DEMO_VIDEO_ID));
    expect(asset?.status).toBe('ready');
    const citizen = (await signInAs(t.app, 'citizen@demo.local')).accessToken;
    const enrolled = await t.app.inject({ method: 'POST', url: `/api/courses/${courseId}/enrolments`, headers: bearer(citizen), payload: {} });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const lesson = await t.app.inject({ method: 'GET', url: `/api/courses/${courseId}/lessons/${LESSON}`, headers: bearer(citizen) });
    expect(lesson.statusCode, lesson.body).toBe(200);
    expect(lesson.json()).toMatchObject({ kind: 'video', video: { mediaAssetId: DEMO_VIDEO_ID } });
    const playback = await t.app.inject({ method: 'GET', url: `/api/media/${DEMO_VIDEO_ID}/playback`, headers: bearer(citizen) });
    expect(playback.statusCode, playback.body).toBe(200);
    const master = await t.app.inject({ method: 'GET', url: playback.json().masterUrl, headers: bearer(citizen) });
    expect(master.statusCode, master.body).toBe(200);
    const links = master.body.split('\n').filter((l) => l.startsWith('playlists/'));
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) expect(link).toMatch(/[?&]signature=/);
    // every rendition the asset announces, and the master playlist, are files under the data folder
    expect(asset?.renditions.length).toBe(links.length);
    for (const key of [asset?.masterKey as string, ...(asset?.renditions ?? []).map((r) => r.playlistKey)]) {
      await expect(access(path.join(dataDir, 'objects', key))).resolves.toBeUndefined();
    }
    const variant = await t.app.inject({ method: 'GET', url: `/api/media/${DEMO_VIDEO_ID}/${links[0]}` });
    expect(variant.statusCode).toBe(200);
    expect(variant.body).toMatch(/^http:\/\/localhost:3000\/objects\/media\/.+\.ts\?expires=\d+&signature=/m);
  });
});

describe('the embedded default without the demo video', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => t?.close());

  it('seeds the course without the video lesson, so it can still be completed', async () => {
    const [course] = await t.db.select({ id: courses.id }).from(courses).where(eq(courses.slug, PHONE_COURSE));
    const citizen = (await signInAs(t.app, 'citizen@demo.local')).accessToken;
    await t.app.inject({ method: 'POST', url: `/api/courses/${course?.id}/enrolments`, headers: bearer(citizen), payload: {} });
    const lesson = await t.app.inject({ method: 'GET', url: `/api/courses/${course?.id}/lessons/${LESSON}`, headers: bearer(citizen) });
    expect(lesson.statusCode).toBe(404);
  });
});
