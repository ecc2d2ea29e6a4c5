import { describe, expect, it } from 'vitest';
import { rotation, runScenario, selectScenarios } from './runner.ts';
import type { BenchContext, Scenario } from './scenario.ts';

const ctx: BenchContext = { scale: 'small', databaseUrl: undefined, seed: 1, log: () => {} };

function fakeScenario(calls: string[], closed: { value: boolean }, failOn?: string): Scenario {
  const side = (label: string, values: number[]) => {
    let i = 0;
    return {
      label,
      run: async () => {
        calls.push(label);
        if (label === failOn) throw new Error('boom');
        return values[i++ % values.length] as number;
      },
    };
  };
  return {
    name: 'fake.pair',
    title: 'fake',
    unit: 'req/s',
    better: 'higher',
    warmup: 1,
    rounds: { small: 4 },
    setup: async () => ({
      reference: side('ref', [100, 100, 90, 110, 100]),
      subjects: [side('a', [50, 40, 60, 50, 50]), side('b', [200, 200, 200, 200, 200])],
      notes: () => ({ rows: 3 }),
      close: async () => {
        closed.value = true;
      },
    }),
  };
}

describe('runScenario', () => {
  it('warms up every side, then alternates the reference with the subjects, rotating who goes first', async () => {
    const calls: string[] = [];
    await runScenario(fakeScenario(calls, { value: false }), ctx);
    expect(calls).toEqual(['ref', 'a', 'b', 'ref', 'a', 'b', 'a', 'b', 'ref', 'b', 'ref', 'a', 'ref', 'a', 'b']);
  });

  it('reports median, spread and the ratio to the reference for every subject, without the warm-up round', async () => {
    const result = await runScenario(fakeScenario([], { value: false }), ctx);
    expect(result.reference.values).toEqual([100, 90, 110, 100]);
    expect(result.reference.summary.median).toBe(100);
    const [a, b] = result.subjects;
    expect(a?.summary.median).toBe(50);
    expect(a?.ratio).toBe(0.5);
    expect(a?.summary.p25).toBeLessThanOrEqual(a?.summary.p75 ?? 0);
    expect(b?.ratio).toBe(2);
    expect(result.notes).toEqual({ rows: 3 });
  });

  it('closes the trial even when a round fails', async () => {
    const closed = { value: false };
    await expect(runScenario(fakeScenario([], closed, 'b'), ctx)).rejects.toThrow('boom');
    expect(closed.value).toBe(true);
  });
});

describe('rotation', () => {
  it('puts each side first once every n rounds', () => {
    expect([0, 1, 2].map((r) => rotation(3, r)[0])).toEqual([0, 1, 2]);
  });
});

describe('selectScenarios', () => {
  const all = ['http.health', 'http.communes', 'auth.sign-in'].map((name) => ({ name }) as Scenario);

  it('selects all when no name is given, a group by prefix, one by exact name', () => {
    expect(selectScenarios(all, [])).toHaveLength(3);
    expect(selectScenarios(all, ['http']).map((s) => s.name)).toEqual(['http.health', 'http.communes']);
    expect(selectScenarios(all, ['auth.sign-in']).map((s) => s.name)).toEqual(['auth.sign-in']);
  });

  it('names the unknown scenario and lists the known ones', () => {
    expect(() => selectScenarios(all, ['htt'])).toThrow(/no scenario named htt; known: http.health/);
  });
});
