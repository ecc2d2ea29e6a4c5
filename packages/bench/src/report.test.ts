import { describe, expect, it } from 'vitest';
import { fmt, formatResult, markdownRows, type RunReport } from './report.ts';
import type { ScenarioResult } from './runner.ts';
import { summarize } from './stats.ts';

describe('formatResult', () => {
  it('prints the reference, each subject with median, quartiles, MAD and ratio, and the notes', () => {
    const result: ScenarioResult = {
      name: 'http.health',
      title: 'GET /health vs a bare route',
      unit: 'req/s',
      better: 'higher',
      reference: { label: 'bare fastify', values: [10000, 12000], summary: summarize([10000, 12000]) },
      subjects: [{ label: 'GET /health', values: [5000, 6000], summary: summarize([5000, 6000]), ratio: 0.5 }],
      notes: { rssGrowthMiB: 1.25 },
      durationMs: 4200,
      loadAverage: [1.5, 2],
    };
    const text = formatResult(result);
    expect(text).toContain('median    11,000');
    expect(text).toContain('(reference)');
    expect(text).toMatch(/GET \/health\s+median\s+5,500\s+p25–p75 5,250–5,750 \(MAD 500\)\s+ratio 0.5/);
    expect(text).toContain('rssGrowthMiB=1.25');
  });
});

describe('fmt', () => {
  it('keeps three significant digits and groups thousands', () => {
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(12345.6)).toBe('12,346');
  });
});

describe('markdownRows', () => {
  it('gives one row per subject with the reference, the ratio and the reproducing command', () => {
    const summary = summarize([100]);
    const report = {
      scale: 'province',
      database: 'postgres',
      results: [
        {
          name: 'auth.me',
          unit: 'req/s',
          reference: { label: 'bare', values: [100], summary },
          subjects: [{ label: 'API GET /api/me', values: [50], summary: summarize([50]), ratio: 0.5 }],
        },
      ],
    } as unknown as RunReport;
    expect(markdownRows(report)).toEqual([
      '| auth.me | postgres | province | API GET /api/me | 50 req/s | 50–50 | bare: 100 (100–100) | 0.5 | `BENCH_DATABASE_URL=postgres://… pnpm bench auth.me --scale province` |',
    ]);
  });
});
