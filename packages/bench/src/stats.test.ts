import { describe, expect, it } from 'vitest';
import { quantile, ratioOf, summarize } from './stats.ts';

describe('summarize', () => {
  it('finds the median of an odd and an even series', () => {
    expect(summarize([3, 1, 2]).median).toBe(2);
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('interpolates quartiles between ranks', () => {
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s.p25).toBe(2);
    expect(s.p75).toBe(4);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });

  it('measures spread as the median absolute deviation, unmoved by one outlier', () => {
    const s = summarize([10, 11, 9, 10, 1000]);
    expect(s.median).toBe(10);
    expect(s.mad).toBe(1);
    expect(s.max).toBe(1000);
  });

  it('refuses an empty series', () => {
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe('ratioOf', () => {
  it('reads 0.5 when the subject serves half the reference throughput', () => {
    expect(ratioOf(summarize([50]), summarize([100]), 'higher')).toBe(0.5);
  });

  it('reads 0.5 when the subject takes twice the reference time', () => {
    expect(ratioOf(summarize([20]), summarize([10]), 'lower')).toBe(0.5);
  });
});
