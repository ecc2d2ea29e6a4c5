export type { BenchArgs } from './args.ts';
export { parseArgs } from './args.ts';
export type { RunReport } from './report.ts';
export type { ScenarioResult } from './runner.ts';
export { runScenario, selectScenarios } from './runner.ts';
export type { BenchContext, Scale, Scenario, Side, Trial } from './scenario.ts';
export { scenarios } from './scenarios/index.ts';
export { summarize } from './stats.ts';
