import { describe, expect, it } from 'vitest';
import { PlayedIntervals } from './played-intervals.ts';

describe('PlayedIntervals', () => {
  it('records continuous playback as one interval, closed on pause', () => {
    const p = new PlayedIntervals();
    for (const t of [0, 0.25, 0.5, 0.75, 1]) p.tick(t);
    p.close();
    expect(p.take()).toEqual([{ start: 0, end: 1 }]);
  });

  it('splits at a seek, so skipped media is not counted', () => {
    const p = new PlayedIntervals();
    for (const t of [0, 0.5, 1, 30, 30.5]) p.tick(t);
    expect(p.peek()).toEqual([
      { start: 0, end: 1 },
      { start: 30, end: 30.5 },
    ]);
  });

  it('splits when playback jumps back (a replay)', () => {
    const p = new PlayedIntervals();
    for (const t of [5, 6, 2, 3]) p.tick(t);
    expect(p.peek()).toEqual([
      { start: 5, end: 6 },
      { start: 2, end: 3 },
    ]);
  });

  it('opens at the exact time playback starts, so a resumed stretch joins the one before it', () => {
    const p = new PlayedIntervals();
    p.start(2.5);
    for (const t of [2.7, 3, 3.25]) p.tick(t);
    p.close();
    expect(p.take()).toEqual([{ start: 2.5, end: 3.25 }]);
  });
});
