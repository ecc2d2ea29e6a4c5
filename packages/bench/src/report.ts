import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioResult } from './runner.ts';
import type { Summary } from './stats.ts';

export interface RunReport {
  startedAt: string;
  scale: string;
  seed: number;
  database: 'pglite' | 'postgres';
  machine: { node: string; cpus: number; cpuModel: string; memoryGiB: number; platform: string };
  results: ScenarioResult[];
  /** Synthetic provinces generated for the run (once each, outside every timed round). */
  generated: Array<{ scale: string; seed: number; seconds: number; rows: Record<string, number> }>;
  failures: Array<{ name: string; error: string }>;
}

/** Three significant digits: enough to read a ratio, honest about the noise of a shared machine. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}

const spread = (s: Summary) => `${fmt(s.p25)}–${fmt(s.p75)} (MAD ${fmt(s.mad)})`;

/** The lines printed after each scenario: reference first, then each subject with its ratio. */
export function formatResult(r: ScenarioResult): string {
  const lines = [
    `${r.name} — ${r.title} [${r.unit}, ${r.better} is better, ${r.reference.summary.n} rounds, ${fmt(r.durationMs / 1000)} s, load ${fmt(r.loadAverage[0])}→${fmt(r.loadAverage[1])}]`,
  ];
  const width = Math.max(r.reference.label.length, ...r.subjects.map((s) => s.label.length));
  lines.push(
    `  ${r.reference.label.padEnd(width)}  median ${fmt(r.reference.summary.median).padStart(9)}  p25–p75 ${spread(r.reference.summary)}  (reference)`,
  );
  for (const s of r.subjects) {
    lines.push(`  ${s.label.padEnd(width)}  median ${fmt(s.summary.median).padStart(9)}  p25–p75 ${spread(s.summary)}  ratio ${fmt(s.ratio)}`);
  }
  const notes = Object.entries(r.notes);
  if (notes.length > 0) lines.push(`  notes: ${notes.map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`).join(', ')}`);
  return lines.join('\n');
}

export function writeReport(dir: string, report: RunReport): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/**
 * The rows of BENCHMARKS.md for one run: every side with its median and spread, the reference, the ratio
 * and the command that reproduces it, so the document is pasted from a measurement, never typed.
 */
export function markdownRows(report: RunReport): string[] {
  const env = report.database === 'postgres' ? 'BENCH_DATABASE_URL=postgres://… ' : '';
  return report.results.flatMap((r) => {
    const command = `\`${env}pnpm bench ${r.name} --scale ${report.scale}\``;
    const ref = `${r.reference.label}: ${fmt(r.reference.summary.median)} (${fmt(r.reference.summary.p25)}–${fmt(r.reference.summary.p75)})`;
    return r.subjects.map(
      (s) =>
        `| ${r.name} | ${report.database} | ${report.scale} | ${s.label} | ${fmt(s.summary.median)} ${r.unit} | ${fmt(s.summary.p25)}–${fmt(s.summary.p75)} | ${ref} | ${fmt(s.ratio)} | ${command} |`,
    );
  });
}
