import { describe, expect, it } from 'vitest';
import { whilePending } from './pending.ts';

describe('whilePending', () => {
  it('marks the form busy until the answer is applied, and free again after', async () => {
    const states: boolean[] = [];
    const submit = whilePending((p) => states.push(p));
    const after = (submit as unknown as () => (o: { update: () => Promise<void> }) => Promise<void>)();
    expect(states).toEqual([true]);
    await after({ update: async () => {} });
    expect(states).toEqual([true, false]);
  });

  it('frees the form even when applying the answer fails', async () => {
    const states: boolean[] = [];
    const after = (whilePending((p) => states.push(p)) as unknown as () => (o: { update: () => Promise<void> }) => Promise<void>)();
    await expect(after({ update: async () => Promise.reject(new Error('offline')) })).rejects.toThrow('offline');
    expect(states).toEqual([true, false]);
  });
});
