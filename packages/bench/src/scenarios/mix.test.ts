import { describe, expect, it } from 'vitest';
import { MIX_WEIGHTS, mixCycle } from './mix.ts';

const fixture = { courseId: 'c', lessonId: 'l', learnerTokens: ['t1', 't2'], officerToken: 'o', lrsAuthorization: 'Basic x', year: 2026 };

describe('the request mix', () => {
  it('sends each kind as often per cycle as its weight says', () => {
    const cycle = mixCycle(fixture);
    const total = Object.values(MIX_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(cycle).toHaveLength(total);
    expect(cycle.filter((r) => r.path.startsWith('/api/courses?limit=20'))).toHaveLength(MIX_WEIGHTS.catalogListing);
    expect(cycle.filter((r) => r.path === '/api/progress')).toHaveLength(MIX_WEIGHTS.progressBatch);
    expect(cycle.filter((r) => r.path === '/xapi/statements')).toHaveLength(MIX_WEIGHTS.statementBatch);
    expect(cycle.filter((r) => r.path.startsWith('/api/indicators?year=2026'))).toHaveLength(MIX_WEIGHTS.dashboard);
  });

  it('interleaves the kinds instead of sending one kind in a burst', () => {
    const firstKinds = mixCycle(fixture)
      .slice(0, Object.keys(MIX_WEIGHTS).length)
      .map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(new Set(firstKinds).size).toBeGreaterThanOrEqual(6);
  });

  it('makes fresh ids for every write, so replays are not what is measured', () => {
    const progress = mixCycle(fixture).find((r) => r.path === '/api/progress');
    const a = JSON.parse(progress?.body?.() ?? '{}') as { events: Array<{ id: string }> };
    const b = JSON.parse(progress?.body?.() ?? '{}') as { events: Array<{ id: string }> };
    expect(a.events[0]?.id).not.toBe(b.events[0]?.id);
    const statements = mixCycle(fixture).find((r) => r.path === '/xapi/statements');
    expect(statements?.headers?.['x-experience-api-version']).toBe('1.0.3');
    expect(JSON.parse(statements?.body?.() ?? '[]')).toHaveLength(10);
  });

  it('spreads lesson reads and progress over the enrolled learners', () => {
    const auth = mixCycle(fixture)
      .filter((r) => r.path.includes('/lessons/'))
      .map((r) => r.headers?.authorization);
    expect(new Set(auth)).toEqual(new Set(['Bearer t1', 'Bearer t2']));
  });
});
