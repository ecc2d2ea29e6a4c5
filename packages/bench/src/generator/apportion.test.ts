import { describe, expect, it } from 'vitest';
import { apportion } from './apportion.ts';
import { seededRandom } from './rng.ts';

describe('apportion', () => {
  it('gives whole parts that add up exactly to the total', () => {
    const parts = apportion(10, [1, 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(10);
    expect(parts).toEqual([4, 3, 3]);
  });

  it('follows the weights', () => {
    expect(apportion(100, [3, 1])).toEqual([75, 25]);
  });

  it('rejects weights that sum to nothing', () => {
    expect(() => apportion(5, [0, 0])).toThrow(/positive sum/);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
