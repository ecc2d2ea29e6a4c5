import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('parseArgs', () => {
  it('defaults to every scenario at small scale', () => {
    expect(parseArgs([])).toMatchObject({ names: [], scale: 'small', list: false });
  });

  it('reads names, the scale in both spellings, and the seed', () => {
    expect(parseArgs(['http', '--scale', 'province', '--seed=7', 'auth.sign-in'])).toMatchObject({
      names: ['http', 'auth.sign-in'],
      scale: 'province',
      seed: 7,
    });
    expect(parseArgs(['--', '--scale=small']).scale).toBe('small');
  });

  it('rejects an unknown scale, a missing value and an unknown option', () => {
    expect(() => parseArgs(['--scale', 'huge'])).toThrow(/small or province/);
    expect(() => parseArgs(['--seed'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});
