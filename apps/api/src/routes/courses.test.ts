import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { defaultContentDir, loadContent } from '@hts/content';
import { courseVersions } from '@hts/db';
import { seedContentCourses } from '@hts/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const catalog = (query: string) => t.app.inject({ method: 'GET', url: `/api/courses${query}` });

describe('public catalog', () => {
  it('lists every course of content/courses as published, without an account', async () => {
    const res = await catalog('');
    expect(res.statusCode).toBe(200);
    const slugs = res.json().items.map((c: { slug: string }) => c.slug);
    expect(slugs).toEqual(expect.arrayContaining(['dien-thoai-thong-minh-an-toan', 'phong-tranh-lua-dao-truc-tuyen', 'dich-vu-cong-truc-tuyen-vneid']));
    const item = res.json().items[0];
    expect(item).toMatchObject({ id: expect.any(String), title: expect.any(String), summary: expect.any(String), targetGroups: expect.any(Array) });
    expect(item.competences[0]).toMatchObject({ code: expect.any(String), name: expect.any(String) });
  });

  it('finds "lừa đảo" when typed without diacritics', async () => {
    const res = await catalog('?q=lua%20dao');
    expect(res.json().items.map((c: { slug: string }) => c.slug)).toEqual(['phong-tranh-lua-dao-truc-tuyen']);
  });

  it('finds a course by a lesson title typed in capitals without diacritics', async () => {
    const res = await catalog(`?q=${encodeURIComponent('KHOA MAN HINH')}`);
    expect(res.json().items.map((c: { slug: string }) => c.slug)).toEqual(['dien-thoai-thong-minh-an-toan']);
  });

  it('survives a typo through trigram similarity', async () => {
    const res = await catalog(`?q=${encodeURIComponent('dien thoai thong minh')}`);
    expect(res.json().items[0].slug).toBe('dien-thoai-thong-minh-an-toan');
  });

  it('ranks courses holding every word above those only similar enough, and pages across both without a gap', async () => {
    // "dien thoai an toan": two courses hold every word; the scam course only comes close by trigrams
    const slugs = (res: { json(): { items: Array<{ slug: string }> } }) => res.json().items.map((c) => c.slug);
    const whole = slugs(await catalog(`?q=${encodeURIComponent('dien thoai an toan')}`));
    expect(whole).toHaveLength(3);
    expect(whole.slice(0, 2).sort()).toEqual(['dich-vu-cong-truc-tuyen-vneid', 'dien-thoai-thong-minh-an-toan']);
    expect(whole[2]).toBe('phong-tranh-lua-dao-truc-tuyen');
    const paged: string[] = [];
    let cursor = '';
    for (let i = 0; i < 5; i++) {
      const res = await catalog(`?q=${encodeURIComponent('dien thoai an toan')}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...slugs(res));
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(whole);
  });

  it('answers a search the same on every run, after PostgreSQL settles on a generic plan for its statement', async () => {
    // A new maxMinutes each time is a new cache key, so every answer is read from the database; from the sixth
    // run of a prepared statement on a connection (the pool has up to five), PostgreSQL may plan it once for any
    // parameters: the search text is then folded once per statement, and both phases rank (every word, typos).
    const slugs = (maxMinutes: number) =>
      catalog(`?q=${encodeURIComponent('dien thoai an toan')}&limit=2&maxMinutes=${maxMinutes}`).then((res) => {
        expect(res.statusCode).toBe(200);
        const page = res.json();
        return { slugs: page.items.map((c: { slug: string }) => c.slug), next: page.nextCursor !== null };
      });
    const first = await slugs(100_000);
    expect(first.slugs).toHaveLength(2);
    expect(first.next).toBe(true);
    for (let run = 1; run < 30; run++) expect(await slugs(100_000 - run)).toEqual(first);
    const typo = (maxMinutes: number) =>
      catalog(`?q=${encodeURIComponent('dien thoaii thong minhh')}&maxMinutes=${maxMinutes}`).then((res) => res.json().items[0]?.slug);
    for (let run = 0; run < 30; run++) expect(await typo(90_000 - run)).toBe('dien-thoai-thong-minh-an-toan');
  });

  it('treats a search typed with other capitals and spacing as the same search', async () => {
    const plain = await catalog(`?q=${encodeURIComponent('lua dao')}`);
    const shouted = await catalog(`?q=${encodeURIComponent('  LỪA   đảo ')}`);
    expect(shouted.json()).toEqual(plain.json());
  });

  it('sends a cached page as the same UTF-8 JSON as the first answer, its length counted in bytes', async () => {
    const first = await catalog('?limit=3&sort=popular');
    const again = await catalog('?limit=3&sort=popular'); // from the answer cache, as bytes made once
    for (const res of [first, again]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    }
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    // Vietnamese titles are several bytes a character: a length in characters would cut the body short
    expect(first.rawPayload.length).toBeGreaterThan(first.body.length);
    const titles = again.json().items.map((c: { title: string }) => c.title);
    expect(titles.join(' ')).toMatch(/[ạ-ỹ]/);
  });

  it('sends a page compressed to a phone that accepts brotli or gzip, the same JSON once unpacked', async () => {
    const plain = await catalog('?limit=20');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const asked = (encoding: string) => t.app.inject({ method: 'GET', url: '/api/courses?limit=20', headers: { 'accept-encoding': encoding } });
    const br = await asked('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    const gz = await asked('gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    // the cached page answers each client in its own encoding, whichever came first
    expect((await asked('identity')).rawPayload.equals(plain.rawPayload)).toBe(true);
  });

  it('sends a small answer as it is, whatever the client accepts: compressing it would save nothing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/courses?q=khongcokhoahocnao', headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().items).toEqual([]);
  });

  it('filters by competence and target group', async () => {
    const byCompetence = await catalog('?competence=tt02:2.6');
    expect(byCompetence.json().items.map((c: { slug: string }) => c.slug)).toEqual(['dich-vu-cong-truc-tuyen-vneid']);
    const byGroup = await catalog('?targetGroup=doanh-nhan');
    // the scam course and the criteria course (for every group) name business people; the other two do not
    expect(
      byGroup
        .json()
        .items.map((c: { slug: string }) => c.slug)
        .sort(),
    ).toEqual(['phong-tranh-lua-dao-truc-tuyen', 'tieu-chi-cong-dan-hoc-tap']);
  });

  it('pages with a keyset cursor without repeating or losing a course', async () => {
    const whole = (await catalog('?limit=50')).json().items.map((c: { id: string }) => c.id);
    expect(whole.length).toBeGreaterThan(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await catalog(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
  });

  it('answers 400 naming the cursor field for a forged cursor, and for a limit out of range', async () => {
    const forged = await catalog('?cursor=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().details[0].field).toBe('/querystring/cursor');
    const big = await catalog('?limit=5000');
    expect(big.statusCode).toBe(400);
  });

  it('shows a course page with its outline but no quiz answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/courses/phong-tranh-lua-dao-truc-tuyen' });
    expect(res.statusCode).toBe(200);
    expect(res.json().modules[1].lessons.map((l: { kind: string }) => l.kind)).toEqual(['text', 'quiz']);
    expect(res.body).not.toContain('correct');
    expect(res.json().enrolment).toBeNull();
  });

  it('answers 404 for a course that does not exist', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/courses/khong-co-khoa-nay' });
    expect(res.statusCode).toBe(404);
  });
});

describe('seeding content/courses', () => {
  it('is idempotent: a second seed of unchanged content publishes no new version', async () => {
    const content = await loadContent(defaultContentDir);
    const before = await t.app.services.db.select().from(courseVersions);
    const again = await seedContentCourses(t.app.services.db, { competences: content.frameworks.flatMap((f) => f.competences), courses: content.courses });
    expect(again.published).toBe(0);
    expect(await t.app.services.db.select().from(courseVersions)).toHaveLength(before.length);
  });

  it('publishes a new version of a course whose content changed, leaving the old one', async () => {
    const content = await loadContent(defaultContentDir);
    const changed = content.courses.map((c) =>
      c.slug === 'phong-tranh-lua-dao-truc-tuyen' ? { ...c, doc: { ...c.doc, summary: `${c.doc.summary} (cập nhật)` } } : c,
    );
    const result = await seedContentCourses(t.app.services.db, { competences: [], courses: changed });
    expect(result.published).toBe(1);
    const page = await t.app.inject({ method: 'GET', url: '/api/courses/phong-tranh-lua-dao-truc-tuyen' });
    expect(page.json().versionNumber).toBe(2);
    expect(page.json().course.summary).toMatch(/cập nhật/);
  });
});
