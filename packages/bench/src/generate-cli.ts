import { parseArgs as parseNodeArgs } from 'node:util';
import { defaultContentDir, loadContent } from '@hts/content';
import { openDatabase } from '@hts/db';
import { allSteps, foundationSteps, generateProvince, indicatorSteps } from './generator/generate.ts';
import type { GeneratorStep } from './generator/step.ts';

/**
 * The step lists `--steps` names: the foundation (accounts, sign-ins, the catalog), the indicator province
 * (the registry, titles, learning evidence, credentials and the evidence chain, no sign-ins), or both.
 */
const STEP_SETS: Record<string, GeneratorStep[]> = {
  foundation: foundationSteps,
  indicators: indicatorSteps,
  all: allSteps,
};

/**
 * `pnpm --filter @hts/bench generate --scale province --database postgres://…/empty_db` (or `--pglite DIR`)
 * `[--steps foundation|indicators|all]`: fills one empty database with the synthetic province and prints the
 * time per step, for exploring a capability at size outside the bench (dashboards, queries by hand).
 */
async function main(): Promise<void> {
  const { values } = parseNodeArgs({
    options: {
      scale: { type: 'string', default: 'small' },
      seed: { type: 'string', default: '20250701' },
      database: { type: 'string' },
      pglite: { type: 'string' },
      steps: { type: 'string', default: 'foundation' },
    },
  });
  const scale = values.scale;
  if (scale !== 'small' && scale !== 'province') throw new Error('--scale must be small or province');
  const steps = STEP_SETS[values.steps];
  if (!steps) throw new Error(`--steps must be one of ${Object.keys(STEP_SETS).join(', ')}`);
  if (!values.database === !values.pglite) throw new Error('give exactly one of --database postgres://… or --pglite DIR');
  const database = await openDatabase(values.database ? { url: values.database, maxConnections: 2 } : { dataDir: values.pglite });
  try {
    const content = await loadContent(defaultContentDir);
    const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);
    const report = await generateProvince(database.db, { content, seed: Number(values.seed), scale, steps, log });
    for (const step of report.steps) log(`${step.name}: ${(step.ms / 1000).toFixed(1)} s ${JSON.stringify(step.rows)}`);
    const rows = Object.values(report.rows).reduce((a, n) => a + n, 0);
    log(
      `total: ${rows.toLocaleString('en-US')} rows in ${(report.ms / 1000).toFixed(1)} s (${Math.round(rows / (report.ms / 1000)).toLocaleString('en-US')} rows/s)`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
