import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jobs, mediaAssets } from '@hts/db';
import { type Clock, mediaKeys, TRANSCODE_JOB, transcodeMedia } from '@hts/domain';
import { generateClip, probeStreams } from '@hts/domain/testing';
import { createObjectStore, listKeys } from '@hts/storage';
import { S3RVER_ACCESS_KEY, S3RVER_SECRET_KEY, startS3rver } from '@hts/storage/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../testing/test-app.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

let dir: string;
let clip: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hts-media-api-'));
  await generateClip(path.join(dir, 'clip.mp4'), { width: 640, height: 360, seconds: 2 });
  clip = await readFile(path.join(dir, 'clip.mp4'));
}, 60_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Bytes that start like an MP4 (ftyp box) and fill the rest: enough for the magic-byte check. */
function fakeMp4(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x11);
  Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]).copy(bytes);
  return bytes;
}

async function startUpload(t: TestApp, token: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/media/uploads',
    headers: bearer(token),
    payload: { title: 'Bài 1: Dùng điện thoại', kind: 'video', ...body },
  });
}

async function putPart(t: TestApp, token: string, sessionId: string, n: number, bytes: Buffer) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/media/uploads/${sessionId}/parts/${n}`,
    headers: { ...bearer(token), 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
}

/** Uploads a whole file in parts and completes it; returns the completion response. */
async function uploadFile(t: TestApp, token: string, bytes: Buffer, extra: Record<string, unknown> = {}) {
  const created = await startUpload(t, token, { size: bytes.length, ...extra });
  expect(created.statusCode, created.body).toBe(201);
  const session = created.json() as { id: string; partSize: number; partCount: number; assetId: string };
  for (let n = 1; n <= session.partCount; n++) {
    const res = await putPart(t, token, session.id, n, bytes.subarray((n - 1) * session.partSize, n * session.partSize));
    expect(res.statusCode, res.body).toBe(200);
  }
  const done = await t.app.inject({ method: 'POST', url: `/api/media/uploads/${session.id}/complete`, headers: bearer(token), payload: {} });
  return { session, done };
}

describe('media upload API (local object folder)', () => {
  let t: TestApp;
  let trainer: string;
  let citizen: string;
  let now = Date.now();
  const clock: Clock = { now: () => new Date(now) };
  beforeAll(async () => {
    t = await createTestApp({ clock, media: { maxUploadBytes: 20 * MiB, partSize: PART } });
    trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
    citizen = (await signInAs(t.app, 'citizen@demo.local')).accessToken;
  });
  afterAll(async () => t?.close());

  it('refuses a declared size over the limit with 413 before any byte is sent', async () => {
    const res = await startUpload(t, trainer, { size: 21 * MiB });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', details: [{ field: '/body/size' }] });
  });

  it('lets only trainers and admins upload', async () => {
    expect((await startUpload(t, citizen, { size: 100 })).statusCode).toBe(403);
  });

  it('refuses a part larger than its declared size with 413 and does not record it', async () => {
    const created = (await startUpload(t, trainer, { size: 1000 })).json() as { id: string };
    const res = await putPart(t, trainer, created.id, 1, fakeMp4(2000));
    expect(res.statusCode).toBe(413);
    const state = (await t.app.inject({ method: 'GET', url: `/api/media/uploads/${created.id}`, headers: bearer(trainer) })).json();
    expect(state).toMatchObject({ receivedParts: [], nextPart: 1 });
  });

  it('refuses a part sent as JSON or text with 415 naming application/octet-stream', async () => {
    const created = (await startUpload(t, trainer, { size: PART })).json();
    for (const type of ['application/json', 'text/plain']) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/media/uploads/${created.id}/parts/1`,
        headers: { ...bearer(trainer), 'content-type': type },
        payload: type === 'application/json' ? JSON.stringify({ bytes: 'AAAA' }) : 'AAAA',
      });
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().message).toContain('application/octet-stream');
      expect(res.json().message).not.toContain('application/json');
      expect(res.json().details[0].field).toBe('/headers/content-type');
    }
    const info = await t.app.inject({ method: 'GET', url: `/api/media/uploads/${created.id}`, headers: bearer(trainer) });
    expect(info.json().nextPart).toBe(1);
  });

  it('refuses a part number past the end of the upload with the field at fault', async () => {
    const created = (await startUpload(t, trainer, { size: 1000 })).json() as { id: string };
    const res = await putPart(t, trainer, created.id, 2, fakeMp4(10));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/params/partNumber');
  });

  it('resumes after a dropped connection: the cut part is missing, the rest is kept, and the upload completes', async () => {
    const file = fakeMp4(PART + 1234);
    const created = (await startUpload(t, trainer, { size: file.length })).json() as { id: string; partCount: number };
    expect(created.partCount).toBe(2);
    expect((await putPart(t, trainer, created.id, 1, file.subarray(0, PART))).statusCode).toBe(200);

    // A real socket that sends half of part 2 and then drops.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = new URL(`/api/media/uploads/${created.id}/parts/2`, address);
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, {
        method: 'PUT',
        headers: { ...bearer(trainer), 'content-type': 'application/octet-stream', 'content-length': '1234' },
      });
      req.on('error', () => resolve());
      req.write(file.subarray(PART, PART + 600), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 200));

    const state = (await t.app.inject({ method: 'GET', url: `/api/media/uploads/${created.id}`, headers: bearer(trainer) })).json();
    expect(state.receivedParts.map((p: { partNumber: number }) => p.partNumber)).toEqual([1]);
    expect(state.nextPart).toBe(2);
    const early = await t.app.inject({ method: 'POST', url: `/api/media/uploads/${created.id}/complete`, headers: bearer(trainer), payload: {} });
    expect(early.statusCode).toBe(409);

    expect((await putPart(t, trainer, created.id, 2, file.subarray(PART))).statusCode).toBe(200);
    const done = await t.app.inject({ method: 'POST', url: `/api/media/uploads/${created.id}/complete`, headers: bearer(trainer), payload: {} });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'queued', sourceFormat: 'mp4', sourceSize: file.length });
    const assetId = done.json().id as string;
    expect((await t.objectStore.getBuffer(mediaKeys.source(assetId))).equals(file)).toBe(true);
    const queued = await t.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB));
    expect(queued.some((j) => j.payload.assetId === assetId)).toBe(true);
  });

  it.each([
    ['a renamed Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500, 0x90)])],
    ['a zip archive', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(500, 1)])],
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body><video src="x.mp4"></video></body></html>')],
  ])('refuses %s with 415 and deletes what was uploaded', async (_name, bytes) => {
    const { session, done } = await uploadFile(t, trainer, bytes);
    expect(done.statusCode).toBe(415);
    expect(done.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect(await t.objectStore.exists(mediaKeys.source(session.assetId))).toBe(false);
    const [asset] = await t.db.select().from(mediaAssets).where(eq(mediaAssets.id, session.assetId));
    expect(asset).toBeUndefined();
  });

  it('refuses captions uploaded as a video', async () => {
    const { done } = await uploadFile(t, trainer, Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào\n'));
    expect(done.statusCode).toBe(415);
  });

  it('aborts an upload and forgets it', async () => {
    const created = (await startUpload(t, trainer, { size: 10 })).json() as { id: string };
    const res = await t.app.inject({ method: 'DELETE', url: `/api/media/uploads/${created.id}`, headers: bearer(trainer) });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/media/uploads/${created.id}`, headers: bearer(trainer) })).statusCode).toBe(404);
  });

  describe('playback', () => {
    let assetId: string;
    beforeAll(async () => {
      const { done } = await uploadFile(t, trainer, clip);
      expect(done.statusCode, done.body).toBe(200);
      assetId = done.json().id;
      const [job] = await t.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB));
      await transcodeMedia(
        { store: t.objectStore, media: { keepSource: true } },
        t.db,
        { ...(job as NonNullable<typeof job>), payload: { assetId }, attempts: 1 },
        async () => {},
      );
      const vtt = Buffer.from('1\n00:00:00,000 --> 00:00:01,500\nXin chào các bạn\n', 'utf8');
      const captions = await uploadFile(t, trainer, vtt, { kind: 'captions', captionsFor: assetId, language: 'vi' });
      expect(captions.done.statusCode, captions.done.body).toBe(200);
    }, 60_000);

    it('shows the trainer the ready asset with its renditions and captions', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}`, headers: bearer(trainer) });
      expect(res.json()).toMatchObject({ status: 'ready', progress: 100, captions: [{ language: 'vi', label: 'Tiếng Việt' }] });
      expect(res.json().renditions.map((r: { name: string }) => r.name)).toEqual(['234p', '360p', 'audio']);
    });

    it('serves the master playlist with signed rendition links, and each rendition with signed segment links', async () => {
      const master = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(trainer) });
      expect(master.statusCode, master.body).toBe(200);
      expect(master.headers['content-type']).toContain('application/vnd.apple.mpegurl');
      const links = master.body.split('\n').filter((l) => l.startsWith('playlists/'));
      expect(links).toHaveLength(3);
      const variant = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/${links[0]}` });
      expect(variant.statusCode, variant.body).toBe(200);
      const segment = variant.body.split('\n').find((l) => l.startsWith('http')) as string;
      expect(segment).toMatch(/^http:\/\/localhost:3000\/objects\/media\/.+\.ts\?expires=\d+&signature=/);
      const bytes = await t.app.inject({ method: 'GET', url: segment.replace('http://localhost:3000', '') });
      expect(bytes.statusCode).toBe(200);
      expect(bytes.headers['content-type']).toBe('video/mp2t');
      expect(bytes.rawPayload[0]).toBe(0x47); // MPEG-TS sync byte
    });

    it('refuses a tampered segment or playlist link with 403', async () => {
      const master = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(trainer) });
      const link = master.body.split('\n').find((l) => l.startsWith('playlists/')) as string;
      const forged = link.replace(/playlists\/[a-z0-9]+/, 'playlists/720p');
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/${forged}` })).statusCode).toBe(403);
      const variant = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/${link}` });
      const segment = (variant.body.split('\n').find((l) => l.startsWith('http')) as string).replace('http://localhost:3000', '');
      // altered: the signature's first character changed (to another one: a signature may start with A)
      const altered = segment.replace(/signature=(.)/, (_, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`);
      expect((await t.app.inject({ method: 'GET', url: altered })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: segment.replace('seg_0000', 'seg_0001') })).statusCode).toBe(403);
    });

    it('refuses expired playlist and segment links with 403', async () => {
      const master = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(trainer) });
      const link = master.body.split('\n').find((l) => l.startsWith('playlists/')) as string;
      const variant = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/${link}` });
      const segment = (variant.body.split('\n').find((l) => l.startsWith('http')) as string).replace('http://localhost:3000', '');
      const saved = now;
      now += 7 * 3600 * 1000;
      try {
        expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/${link}` })).statusCode).toBe(403);
      } finally {
        now = saved;
      }
      // The local store checks expiry against the real clock: sign a link that is already past.
      const expired = segment.replace(/expires=\d+/, `expires=${Math.floor(Date.now() / 1000) - 10}`);
      expect((await t.app.inject({ method: 'GET', url: expired })).statusCode).toBe(403);
    });

    /** A course whose one lesson plays `mediaAssetId`, saved as a draft by `token`; returns the save response and the id. */
    async function courseWithVideo(token: string, mediaAssetId: string) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/trainer/courses',
        headers: bearer(token),
        payload: { slug: `khoa-video-${Date.now()}-${Math.floor(Math.random() * 1e6)}`, title: 'Khóa có video' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().course.id as string;
      const tags = { competences: ['tt02:4.2'], targetGroups: ['nong-dan'] };
      const lesson = { ...tags, id: 'mot.xem', title: 'Xem video', kind: 'video', minutes: 1, required: true };
      const draft = {
        ...tags,
        title: 'Khóa có video',
        summary: 'Một bài video',
        level: 'co-ban',
        language: 'vi',
        sequence: 'free',
        modules: [
          { ...tags, id: 'mot', title: 'Phần một', lessons: [{ ...lesson, video: { hlsUrl: null, mediaAssetId, durationSeconds: 1, watchPercent: 90 } }] },
        ],
      };
      const saved = await t.app.inject({ method: 'PUT', url: `/api/trainer/courses/${id}/draft`, headers: bearer(token), payload: { draft } });
      return { id, saved };
    }

    it('lets a citizen watch only once enrolled in a course whose version plays it, and keeps the check on every path', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(citizen) })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/playback`, headers: bearer(citizen) })).statusCode).toBe(403);
      const { id, saved } = await courseWithVideo(trainer, assetId);
      expect(saved.statusCode, saved.body).toBe(200);
      const published = await t.app.inject({ method: 'POST', url: `/api/trainer/courses/${id}/publish`, headers: bearer(trainer), payload: {} });
      expect(published.statusCode, published.body).toBe(200);
      // published but not enrolled: still no
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/playback`, headers: bearer(citizen) })).statusCode).toBe(403);
      const enrolled = await t.app.inject({ method: 'POST', url: `/api/courses/${id}/enrolments`, headers: bearer(citizen), payload: {} });
      expect(enrolled.statusCode, enrolled.body).toBe(201);
      const playback = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/playback`, headers: bearer(citizen) });
      expect(playback.statusCode).toBe(200);
      expect(playback.json()).toMatchObject({ masterUrl: `/api/media/${assetId}/master.m3u8`, captions: [{ language: 'vi' }] });
      expect(playback.json().posterUrl).toMatch(/poster\.jpg\?expires=/);
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(citizen) })).statusCode).toBe(200);
      // the lesson counts watch time against the asset's real length, not the number in the draft
      const lesson = await t.app.inject({ method: 'GET', url: `/api/courses/${id}/lessons/mot.xem`, headers: bearer(citizen) });
      expect(lesson.json().video).toMatchObject({ mediaAssetId: assetId, hlsUrl: null });
      expect(lesson.json().video.durationSeconds).toBeCloseTo(2, 0);
    });

    it('refuses a draft naming media the trainer cannot use (captions of another account, an unknown id), pointing at the field', async () => {
      const admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
      const vtt = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nChào\n', 'utf8');
      const other = await uploadFile(t, admin, vtt, { kind: 'captions', captionsFor: assetId, language: 'en' });
      expect(other.done.statusCode, other.done.body).toBe(200);
      const { saved } = await courseWithVideo(trainer, other.done.json().id);
      expect(saved.statusCode).toBe(400);
      expect(saved.json().details[0].field).toBe('/draft/modules/0/lessons/0/video/mediaAssetId');
      const missing = await courseWithVideo(trainer, '00000000-0000-4000-8000-000000000000');
      expect(missing.saved.statusCode).toBe(400);
    });

    it('refuses to delete media a published course version plays, with 409, and keeps it', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/media/${assetId}`, headers: bearer(trainer) });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toContain('Khóa có video');
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}`, headers: bearer(trainer) })).json().status).toBe('ready');
    });

    it('transcodes a ready asset again from its source, playing the current version until the new one is ready', async () => {
      const prefixOf = async () => (await t.db.select({ p: mediaAssets.outputPrefix }).from(mediaAssets).where(eq(mediaAssets.id, assetId)))[0]?.p;
      const before = await prefixOf();
      const again = await t.app.inject({ method: 'POST', url: `/api/media/${assetId}/transcode`, headers: bearer(trainer), payload: {} });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ status: 'queued', progress: 0 });
      const twice = await t.app.inject({ method: 'POST', url: `/api/media/${assetId}/transcode`, headers: bearer(trainer), payload: {} });
      expect(twice.statusCode).toBe(409);
      // still playable while queued
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(citizen) })).statusCode).toBe(200);
      // the newest transcoding job (this test runs jobs by hand, so earlier ones stay queued)
      const queued = (await t.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB))).sort((a, b) => +b.createdAt - +a.createdAt)[0];
      expect(queued).toBeDefined();
      await transcodeMedia(
        { store: t.objectStore, media: { keepSource: true } },
        t.db,
        { ...(queued as NonNullable<typeof queued>), payload: { assetId }, attempts: 1 },
        async () => {},
      );
      const after = await t.app.inject({ method: 'GET', url: `/api/media/${assetId}/master.m3u8`, headers: bearer(citizen) });
      expect(after.statusCode).toBe(200);
      // a new versioned prefix replaced the old one, whose files are gone
      expect(await prefixOf()).not.toBe(before);
      expect(await listKeys(t.objectStore, before as string)).toEqual([]);
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}`, headers: bearer(trainer) })).json()).toMatchObject({
        status: 'ready',
        captions: [{ language: 'vi' }, { language: 'en' }],
      });
    }, 60_000);

    it('deletes an unused video with its captions and every file, and answers 404 for it afterwards', async () => {
      const { done } = await uploadFile(t, trainer, clip);
      const id = done.json().id as string;
      const vtt = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nChào\n', 'utf8');
      const captions = await uploadFile(t, trainer, vtt, { kind: 'captions', captionsFor: id, language: 'vi' });
      expect(captions.done.statusCode, captions.done.body).toBe(200);
      expect((await listKeys(t.objectStore, mediaKeys.root(id))).length).toBeGreaterThan(0);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/media/${id}`, headers: bearer(citizen) })).statusCode).toBe(403);
      const res = await t.app.inject({ method: 'DELETE', url: `/api/media/${id}`, headers: bearer(trainer) });
      expect(res.statusCode, res.body).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${id}`, headers: bearer(trainer) })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/media/${id}`, headers: bearer(trainer) })).statusCode).toBe(404);
      expect(await listKeys(t.objectStore, mediaKeys.root(id))).toEqual([]);
      expect(await t.db.select().from(mediaAssets).where(eq(mediaAssets.captionsForId, id))).toEqual([]);
    });

    it('hides one trainer’s media from a citizen’s management calls', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/api/media/${assetId}`, headers: bearer(citizen) })).statusCode).toBe(403);
    });
  });
});

describe('audio lessons: real MP3 and M4A files through upload, byte check and transcoding', () => {
  let t: TestApp;
  let trainer: string;
  beforeAll(async () => {
    t = await createTestApp({ media: { maxUploadBytes: 20 * MiB, partSize: PART } });
    trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
  });
  afterAll(async () => t?.close());

  it.each([
    ['MP3', 'bai-nghe.mp3', ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3'],
    ['M4A', 'bai-nghe.m4a', ['-c:a', 'aac', '-b:a', '64k'], 'm4a'],
  ])(
    'turns a %s made by ffmpeg into an audio-only HLS rendition that ffprobe reads',
    async (_name, file, codec, format) => {
      const source = path.join(dir, file);
      await promisify(execFile)('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', 'sine=frequency=523:duration=3', ...codec, source]);
      const { done } = await uploadFile(t, trainer, await readFile(source), { kind: 'audio', title: `Bài nghe ${format}` });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ kind: 'audio', status: 'queued', sourceFormat: format });
      const assetId = done.json().id as string;
      const job = (await t.db.select().from(jobs).where(eq(jobs.kind, TRANSCODE_JOB))).find((j) => j.payload.assetId === assetId);
      await transcodeMedia({ store: t.objectStore, media: { keepSource: true } }, t.db, job as NonNullable<typeof job>, async () => {});
      const asset = (await t.app.inject({ method: 'GET', url: `/api/media/${assetId}`, headers: bearer(trainer) })).json();
      expect(asset).toMatchObject({ status: 'ready', width: null, height: null });
      expect(asset.renditions.map((r: { name: string }) => r.name)).toEqual(['audio']);
      expect(asset.durationSeconds).toBeCloseTo(3, 0);
      // copy the published rendition out of the store and let ffprobe read it: audio only, about 3 s
      const [row] = await t.db.select().from(mediaAssets).where(eq(mediaAssets.id, assetId));
      expect(row?.posterKey).toBeNull();
      const out = await mkdtemp(path.join(dir, 'audio-'));
      const prefix = row?.outputPrefix as string;
      for (const key of await listKeys(t.objectStore, prefix)) {
        const target = path.join(out, key.slice(prefix.length + 1));
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, await t.objectStore.getBuffer(key));
      }
      const playlistKey = row?.renditions[0]?.playlistKey ?? '';
      const probe = await probeStreams(path.join(out, playlistKey.slice(prefix.length + 1)));
      expect(probe.streams.map((s) => s.codec_type)).toEqual(['audio']);
      expect(probe.duration).toBeGreaterThan(2.5);
    },
    60_000,
  );
});

describe('media upload API against S3 (s3rver)', () => {
  it('uploads in parts, resumes, completes and checks the bytes on the S3 path', async () => {
    const s3 = await startS3rver();
    const store = createObjectStore({
      kind: 's3',
      endPoint: '127.0.0.1',
      port: s3.port,
      useSSL: false,
      accessKey: S3RVER_ACCESS_KEY,
      secretKey: S3RVER_SECRET_KEY,
      bucket: 'media-test',
      region: 'us-east-1',
    });
    const t = await createTestApp({ objectStore: store, media: { maxUploadBytes: 20 * MiB, partSize: PART } });
    try {
      const token = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
      const file = fakeMp4(PART + 99);
      const created = (await startUpload(t, token, { size: file.length })).json() as { id: string };
      expect((await putPart(t, token, created.id, 2, file.subarray(PART))).statusCode).toBe(200);
      const state = (await t.app.inject({ method: 'GET', url: `/api/media/uploads/${created.id}`, headers: bearer(token) })).json();
      expect(state.nextPart).toBe(1);
      expect((await putPart(t, token, created.id, 1, file.subarray(0, PART))).statusCode).toBe(200);
      const done = await t.app.inject({ method: 'POST', url: `/api/media/uploads/${created.id}/complete`, headers: bearer(token), payload: {} });
      expect(done.statusCode, done.body).toBe(200);
      expect((await store.getBuffer(mediaKeys.source(done.json().id))).equals(file)).toBe(true);

      const bad = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(300, 7)]);
      const { session, done: refused } = await uploadFile(t, token, bad);
      expect(refused.statusCode).toBe(415);
      expect(await store.exists(mediaKeys.source(session.assetId))).toBe(false);
    } finally {
      await t.close();
      await s3.stop();
    }
  }, 60_000);
});
