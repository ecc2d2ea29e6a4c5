import { describe, expect, it } from 'vitest';
import { cachedFor } from './reference-cache.ts';

describe('cachedFor', () => {
  it('reads once while the copy is fresh and again after it expires', async () => {
    let clock = 0;
    let reads = 0;
    const get = cachedFor(
      1000,
      async () => ++reads,
      () => clock,
    );
    expect(await get()).toBe(1);
    clock = 999;
    expect(await get()).toBe(1);
    clock = 1001;
    expect(await get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('shares one read between concurrent callers', async () => {
    let reads = 0;
    const get = cachedFor(1000, async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 10));
      return 'list';
    });
    expect(await Promise.all([get(), get(), get()])).toEqual(['list', 'list', 'list']);
    expect(reads).toBe(1);
  });

  it('does not keep a failed read, so the next call tries again', async () => {
    let fail = true;
    const get = cachedFor(1000, async () => {
      if (fail) throw new Error('geography not loaded');
      return 'list';
    });
    await expect(get()).rejects.toThrow('geography not loaded');
    fail = false;
    expect(await get()).toBe('list');
  });
});
