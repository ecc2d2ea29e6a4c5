import { isAbsolute, join } from 'node:path';
import { ArgsError, parseArgs, usage } from './args.ts';
import { runCleanups } from './fixtures/cleanup.ts';
import { generatedFixtures } from './fixtures/databases.ts';
import { describeMachine } from './machine.ts';
import { repoRoot } from './paths.ts';
import { formatResult, type RunReport, writeReport } from './report.ts';
import { runScenario, selectScenarios } from './runner.ts';
import type { BenchContext } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';

/** `pnpm bench [name ...] [--scale small|province]`: runs, prints, writes bench-results/<time>.json. */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const s of scenarios) console.log(`${s.name.padEnd(28)} ${s.title}`);
    return 0;
  }
  const selected = selectScenarios(scenarios, args.names);
  // Only this entry point reads the environment; scenarios get the URL through the context.
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const ctx: BenchContext = { scale: args.scale, databaseUrl, seed: args.seed, log: (m) => console.log(`  · ${m}`) };
  const report: RunReport = {
    startedAt: new Date().toISOString(),
    scale: args.scale,
    seed: args.seed,
    database: databaseUrl ? 'postgres' : 'pglite',
    machine: describeMachine(),
    results: [],
    generated: [],
    failures: [],
  };
  const m = report.machine;
  console.log(`bench: ${selected.length} scenario(s), scale ${args.scale}, database ${report.database}, ${m.cpus} × ${m.cpuModel}, Node ${m.node}`);
  for (const scenario of selected) {
    console.log(`\n▶ ${scenario.name}`);
    try {
      const result = await runScenario(scenario, ctx);
      report.results.push(result);
      console.log(formatResult(result));
    } catch (error) {
      const message = describeError(error);
      report.failures.push({ name: scenario.name, error: message });
      console.error(`✗ ${scenario.name} failed: ${message}`);
    }
  }
  report.generated = generatedFixtures();
  await runCleanups();
  const outDir = isAbsolute(args.out) ? args.out : join(repoRoot, args.out);
  const file = writeReport(outDir, report);
  console.log(`\nresults: ${file}`);
  if (report.failures.length > 0) console.error(`${report.failures.length} scenario(s) failed: ${report.failures.map((f) => f.name).join(', ')}`);
  return report.failures.length > 0 ? 1 : 0;
}

/** The message and the database's own cause, without the multi-kilobyte SQL text drizzle puts in front. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\ncaused by: ${error.cause.message}` : '';
  const stack = (error.stack ?? '')
    .split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .slice(0, 8)
    .join('\n');
  return `${error.message.slice(0, 500)}${error.message.length > 500 ? '…' : ''}${cause}\n${stack}`;
}

// Ctrl-C still stops the servers and drops the scratch databases this run made.
process.once('SIGINT', () => void runCleanups().then(() => process.exit(130)));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ArgsError) console.error(`${error.message}\n${usage}`);
    else console.error(error);
    void runCleanups().then(() => process.exit(2));
  },
);
