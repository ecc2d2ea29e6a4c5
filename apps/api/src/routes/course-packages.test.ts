import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let trainer: string;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
}, 60_000);
afterAll(async () => t?.close());

const SEEDED = 'phong-tranh-lua-dao-truc-tuyen';
const encoder = new TextEncoder();
const zipOf = (files: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, encoder.encode(b)]))));

const upload = (token: string, body: Buffer, query = '', type = 'application/zip') =>
  t.app.inject({ method: 'POST', url: `/api/trainer/courses/import${query}`, headers: { ...bearer(token), 'content-type': type }, payload: body });

async function courseIdBySlug(slug: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/api/courses/${slug}` });
  return res.json().course.id;
}

describe('course packages through the API', () => {
  it('exports a course as a zip and imports it under a new slug as an equal draft', async () => {
    const id = await courseIdBySlug(SEEDED);
    const exported = await t.app.inject({ method: 'GET', url: `/api/trainer/courses/${id}/package`, headers: bearer(admin) });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="${SEEDED}.zip"`);
    expect(Object.keys(unzipSync(exported.rawPayload))).toContain(`${SEEDED}/course.yaml`);

    const imported = await upload(trainer, exported.rawPayload, '?slug=ban-sao-lua-dao');
    expect(imported.statusCode).toBe(201);
    const original = await t.app.inject({ method: 'GET', url: `/api/trainer/courses/${id}`, headers: bearer(admin) });
    expect(imported.json().draft).toEqual(original.json().draft);
    expect(imported.json().course).toMatchObject({ slug: 'ban-sao-lua-dao', hasDraft: true, publishedVersion: null });

    // the trainer owns the copy: importing it again replaces the draft of that course (200), and it can be published
    const again = await upload(trainer, exported.rawPayload, '?slug=ban-sao-lua-dao');
    expect(again.statusCode).toBe(200);
    expect(again.json().course.id).toBe(imported.json().course.id);
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/trainer/courses/${imported.json().course.id}/publish`,
      headers: bearer(trainer),
      payload: {},
    });
    expect(published.statusCode).toBe(200);
  });

  it('refuses to overwrite a course of someone else with the same slug', async () => {
    const id = await courseIdBySlug(SEEDED);
    const exported = await t.app.inject({ method: 'GET', url: `/api/trainer/courses/${id}/package`, headers: bearer(admin) });
    const res = await upload(trainer, exported.rawPayload);
    expect(res.statusCode).toBe(409);
    expect(res.json().details[0]).toMatchObject({ field: '/query/slug' });
  });

  it('rejects a package with a path outside its folder, naming the entry', async () => {
    const res = await upload(trainer, zipOf({ 'khoa/course.yaml': 'title: x\n', 'khoa/../../thoat.md': 'x' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [{ field: '/body/khoa/../../thoat.md', file: 'khoa/../../thoat.md', line: 1 }] });
  });

  it('rejects broken YAML with the file and line', async () => {
    const res = await upload(trainer, zipOf({ 'khoa/course.yaml': 'title: Khóa\nsummary: một: hai\nlevel: co-ban\n' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ file: 'khoa/course.yaml', line: 2, message: expect.stringMatching(/broken YAML/) });
  });

  it('rejects a file over 256 KiB inside the package', async () => {
    const res = await upload(trainer, zipOf({ 'khoa/course.yaml': `title: Khóa\nsummary: ${'x'.repeat(300_000)}\n` }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ file: 'khoa/course.yaml', line: 1, message: expect.stringMatching(/at most 262144/) });
  });

  it('answers 413 for an upload over the package limit and 415 for a body that is not a zip upload', async () => {
    const big = await upload(trainer, Buffer.alloc(17 * 1024 * 1024, 1));
    expect(big.statusCode).toBe(413);
    const json = await t.app.inject({ method: 'POST', url: '/api/trainer/courses/import', headers: bearer(trainer), payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
  });

  it('lets only trainers and admins in, and only the owner export', async () => {
    const citizen = await upload((await signInAs(t.app, 'citizen@demo.local')).accessToken, zipOf({ 'k/course.yaml': 'x' }));
    expect(citizen.statusCode).toBe(403);
    const id = await courseIdBySlug(SEEDED);
    const foreign = await t.app.inject({ method: 'GET', url: `/api/trainer/courses/${id}/package`, headers: bearer(trainer) });
    expect(foreign.statusCode).toBe(403);
  });
});
