import { describe, expect, it } from 'vitest';
import { computeWatchTime } from './watch-time.ts';

describe('computeWatchTime', () => {
  it('merges overlapping, duplicate and out-of-order intervals so a replay counts once', () => {
    const result = computeWatchTime(100, {
      intervals: [
        { start: 50, end: 60 },
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 0, end: 10 },
        { start: 20, end: 30 },
      ],
    });
    expect(result.merged).toEqual([
      { start: 0, end: 30 },
      { start: 50, end: 60 },
    ]);
    expect(result.watchedSeconds).toBe(40);
    expect(result.fraction).toBeCloseTo(0.4);
    expect(result.rejected).toEqual([]);
  });

  it('rejects intervals beyond the end of the media but keeps the rest', () => {
    const result = computeWatchTime(60, {
      intervals: [
        { start: 0, end: 30 },
        { start: 50, end: 500 },
      ],
    });
    expect(result.watchedSeconds).toBe(30);
    expect(result.rejected).toEqual([{ interval: { start: 50, end: 500 }, reason: 'beyond_duration' }]);
  });

  it('tolerates a report rounded a little past the end and clamps it', () => {
    const result = computeWatchTime(10, { intervals: [{ start: 0, end: 10.3 }] });
    expect(result.fraction).toBe(1);
  });

  it('rejects empty, negative, reversed and non-numeric intervals', () => {
    const result = computeWatchTime(60, {
      intervals: [
        { start: 5, end: 5 },
        { start: -1, end: 3 },
        { start: 9, end: 2 },
        { start: Number.NaN, end: 4 },
      ],
    });
    expect(result.watchedSeconds).toBe(0);
    expect(result.rejected.map((r) => r.reason)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
  });

  it('rejects a report that claims more media time than the wall clock allows at the fastest speed', () => {
    const result = computeWatchTime(600, { intervals: [{ start: 0, end: 600 }], wallClockSeconds: 60 });
    expect(result.fraction).toBe(0);
    expect(result.rejected[0]?.reason).toBe('faster_than_real_time');
  });

  it('accepts watching at double speed within the wall-clock time', () => {
    const result = computeWatchTime(600, { intervals: [{ start: 0, end: 600 }], wallClockSeconds: 300 });
    expect(result.fraction).toBe(1);
  });

  it('gives zero for media without a known duration', () => {
    expect(computeWatchTime(0, { intervals: [{ start: 0, end: 1 }] }).fraction).toBe(0);
  });
});
