import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { markdownRows, type RunReport } from './report.ts';

// `pnpm --filter @hts/bench table bench-results/<run>.json …`: the BENCHMARKS.md rows of those runs.
for (const file of process.argv.slice(2)) {
  // pnpm runs this in packages/bench; paths are meant from where the command was typed (INIT_CWD).
  const report = JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8')) as RunReport;
  for (const row of markdownRows(report)) console.log(row);
}
