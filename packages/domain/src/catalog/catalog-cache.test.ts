import type { CatalogPage } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { CatalogCache, catalogCacheKey } from './catalog-cache.ts';

const page = (title: string): CatalogPage => ({
  items: [
    {
      id: '00000000-0000-4000-8000-000000000001',
      slug: title,
      title,
      summary: '',
      level: 'co-ban',
      durationMinutes: 30,
      competences: [],
      targetGroups: [],
      enrolmentCount: 0,
      publishedAt: null,
    },
  ],
  nextCursor: null,
});

describe('catalog answer cache', () => {
  it('serves a kept answer until its time is up, then reads again', async () => {
    let now = 0;
    let reads = 0;
    const cache = new CatalogCache({ ttlMs: 1000, now: () => now });
    const load = async () => page(`lần ${++reads}`);
    expect((await cache.get('k', load)).items[0]?.title).toBe('lần 1');
    now = 999;
    expect((await cache.get('k', load)).items[0]?.title).toBe('lần 1');
    now = 1000;
    expect((await cache.get('k', load)).items[0]?.title).toBe('lần 2');
  });

  it('forgets everything on invalidate', async () => {
    const cache = new CatalogCache();
    await cache.get('k', async () => page('cũ'));
    cache.invalidate();
    expect((await cache.get('k', async () => page('mới'))).items[0]?.title).toBe('mới');
  });

  it('never keeps an answer read before an invalidation that happened while it was read', async () => {
    const cache = new CatalogCache();
    let release: () => void = () => {};
    const slow = cache.get('k', () => new Promise<CatalogPage>((resolve) => (release = () => resolve(page('trước khi xuất bản')))));
    cache.invalidate(); // a publish commits while the read is in flight
    release();
    expect((await slow).items[0]?.title).toBe('trước khi xuất bản'); // the caller that asked still gets it …
    expect((await cache.get('k', async () => page('sau khi xuất bản'))).items[0]?.title).toBe('sau khi xuất bản'); // … nobody after
  });

  it('shares one read between concurrent misses of the same key', async () => {
    const cache = new CatalogCache();
    let reads = 0;
    const load = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return page('một lần');
    };
    await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(reads).toBe(1);
  });

  it('keeps at most its bound, dropping the least recently used', async () => {
    const cache = new CatalogCache({ maxEntries: 2 });
    await cache.get('a', async () => page('a'));
    await cache.get('b', async () => page('b'));
    await cache.get('a', async () => page('a lại')); // a is used again, b is now the oldest
    await cache.get('c', async () => page('c'));
    expect(cache.size).toBe(2);
    expect((await cache.get('a', async () => page('a đọc lại'))).items[0]?.title).toBe('a');
    expect((await cache.get('b', async () => page('b đọc lại'))).items[0]?.title).toBe('b đọc lại');
  });

  it('keys by the normalised search and every parameter that changes the page', () => {
    expect(catalogCacheKey({ q: '  Kỹ   NĂNG số ' })).toBe(catalogCacheKey({ q: 'kỹ năng số' }));
    expect(catalogCacheKey({ q: 'ky nang so' })).not.toBe(catalogCacheKey({ q: 'ky nang so', limit: 5 }));
    expect(catalogCacheKey({})).not.toBe(catalogCacheKey({ cursor: 'abc' }));
    expect(catalogCacheKey({})).not.toBe(catalogCacheKey({ level: 'co-ban' }));
  });
});
