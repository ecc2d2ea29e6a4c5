import { loadavg } from 'node:os';
import type { BenchContext, Scenario, Side } from './scenario.ts';
import { ratioOf, type Summary, summarize } from './stats.ts';

export interface SideResult {
  label: string;
  values: number[];
  summary: Summary;
}

export interface SubjectResult extends SideResult {
  /** 1.0 = as good as the reference; below 1 = worse (see ratioOf). */
  ratio: number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  unit: string;
  better: 'higher' | 'lower';
  reference: SideResult;
  subjects: SubjectResult[];
  notes: Record<string, number | string>;
  durationMs: number;
  /** 1-minute load average before and after: a busy shared machine shows here, not only in the spread. */
  loadAverage: [number, number];
}

// Small is the CI smoke (the whole suite in about two minutes); province is for the published figures.
const defaultRounds = { small: 3, province: 7 };

/**
 * Warm-up, then rounds in which every side runs once, the order rotating each round so that no side
 * always runs first (or right after the noisiest one): drift on a shared machine lands on all sides alike.
 */
export async function runScenario(scenario: Scenario, ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const trial = await scenario.setup(ctx);
  try {
    const sides: Side[] = [trial.reference, ...trial.subjects];
    for (let w = 0; w < (scenario.warmup ?? 1); w++) for (const side of sides) await side.run();
    const rounds = scenario.rounds?.[ctx.scale] ?? defaultRounds[ctx.scale];
    const values: number[][] = sides.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const i of rotation(sides.length, r)) {
        const value = await (sides[i] as Side).run();
        if (!Number.isFinite(value)) throw new Error(`${scenario.name}: ${(sides[i] as Side).label} measured ${value}`);
        (values[i] as number[]).push(value);
      }
    }
    const [refValues = [], ...subjectValues] = values;
    const reference = { label: trial.reference.label, values: refValues, summary: summarize(refValues) };
    const subjects = trial.subjects.map((side, i) => {
      const v = subjectValues[i] ?? [];
      const summary = summarize(v);
      return { label: side.label, values: v, summary, ratio: ratioOf(summary, reference.summary, scenario.better) };
    });
    return {
      name: scenario.name,
      title: scenario.title,
      unit: scenario.unit,
      better: scenario.better,
      reference,
      subjects,
      notes: trial.notes?.() ?? {},
      durationMs: performance.now() - started,
      loadAverage: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    await trial.close();
  }
}

/** Round r runs sides r, r+1, … (mod n): each side takes each position equally often. */
export function rotation(n: number, round: number): number[] {
  return Array.from({ length: n }, (_, k) => (round + k) % n);
}

/** `http` selects `http.health` and `http.catalog`; an exact name selects itself. */
export function selectScenarios(all: readonly Scenario[], names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...all];
  const unknown = names.filter((n) => !all.some((s) => matches(s.name, n)));
  if (unknown.length > 0) throw new Error(`no scenario named ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  return all.filter((s) => names.some((n) => matches(s.name, n)));
}

const matches = (name: string, wanted: string) => name === wanted || name.startsWith(`${wanted}.`);
