import { describe, expect, it } from 'vitest';
import { IndicatorReportCache } from './indicator-report-cache.ts';

const counting = () => {
  let builds = 0;
  return {
    build: async () => {
      builds++;
      return { builds };
    },
    get builds() {
      return builds;
    },
  };
};

describe('IndicatorReportCache', () => {
  it('serves a view from memory while its stamp is unchanged', async () => {
    const cache = new IndicatorReportCache();
    const b = counting();
    expect(await cache.get('province:2025', 's1', b.build)).toEqual({ builds: 1 });
    expect(await cache.get('province:2025', 's1', b.build)).toEqual({ builds: 1 });
    expect(b.builds).toBe(1);
  });

  it('rebuilds a view as soon as the rollups’ stamp moves', async () => {
    const cache = new IndicatorReportCache();
    const b = counting();
    await cache.get('province:2025', 's1', b.build);
    expect(await cache.get('province:2025', 's2', b.build)).toEqual({ builds: 2 });
  });

  it('rebuilds a view after its time to live even when nothing moved', async () => {
    let now = 0;
    const cache = new IndicatorReportCache({ ttlMs: 1_000, now: () => now });
    const b = counting();
    await cache.get('k', 's', b.build);
    now = 999;
    await cache.get('k', 's', b.build);
    now = 1_001;
    await cache.get('k', 's', b.build);
    expect(b.builds).toBe(2);
  });

  it('lets concurrent requests for one view share a single build', async () => {
    const cache = new IndicatorReportCache();
    const b = counting();
    const answers = await Promise.all([cache.get('k', 's', b.build), cache.get('k', 's', b.build), cache.get('k', 's', b.build)]);
    expect(b.builds).toBe(1);
    expect(answers).toEqual([{ builds: 1 }, { builds: 1 }, { builds: 1 }]);
  });

  it('keeps nothing from a build that failed', async () => {
    const cache = new IndicatorReportCache();
    await expect(cache.get('k', 's', () => Promise.reject(new Error('no definitions for 2019')))).rejects.toThrow('2019');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', 's', async () => 'built')).toBe('built');
  });

  it('forgets the least recently used view beyond its size', async () => {
    const cache = new IndicatorReportCache({ maxEntries: 2 });
    const b = counting();
    await cache.get('a', 's', b.build);
    await cache.get('b', 's', b.build);
    await cache.get('a', 's', b.build);
    await cache.get('c', 's', b.build);
    expect(cache.size).toBe(2);
    await cache.get('a', 's', b.build);
    expect(b.builds).toBe(3);
    await cache.get('b', 's', b.build);
    expect(b.builds).toBe(4);
  });
});
