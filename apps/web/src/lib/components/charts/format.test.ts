import { describe, expect, it } from 'vitest';
import { formatRate, niceMax } from './format.ts';

describe('chart formatting', () => {
  it('writes rates with a decimal comma in Vietnamese and a point in English', () => {
    expect(formatRate(83.3)).toBe('83,3%');
    expect(formatRate(83.3, 'en')).toBe('83.3%');
    expect(formatRate(45)).toBe('45%');
  });

  it('rounds an axis maximum up to a round number', () => {
    expect(niceMax([3, 17])).toBe(20);
    expect(niceMax([0])).toBe(1);
    expect(niceMax([940])).toBe(1000);
  });
});
