import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from './report.ts';
import { scenarios } from './scenarios/index.ts';

const benchDir = fileURLToPath(new URL('../', import.meta.url));

describe('pnpm bench --scale small', () => {
  const out = mkdtempSync(join(tmpdir(), 'hts-bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs every scenario to a result with a finite median and ratio per side (how fast is not checked)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--scale', 'small', '--out', out], {
      cwd: benchDir,
      encoding: 'utf8',
      timeout: 1_190_000,
    });
    const [file] = readdirSync(out);
    expect(file, `${run.stdout}\n${run.stderr}`).toBeDefined();
    const report = JSON.parse(readFileSync(join(out, file as string), 'utf8')) as RunReport;
    expect(report.failures, report.failures.map((f) => `${f.name}: ${f.error}`).join('\n')).toEqual([]);
    expect(report.results.map((r) => r.name)).toEqual(scenarios.map((s) => s.name));
    for (const r of report.results) {
      expect(Number.isFinite(r.reference.summary.median), r.name).toBe(true);
      expect(r.subjects.length, r.name).toBeGreaterThan(0);
      for (const s of r.subjects) expect(Number.isFinite(s.ratio), `${r.name} ${s.label}`).toBe(true);
    }
    expect(run.status).toBe(0);
  });
});
