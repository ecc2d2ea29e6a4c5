import type { Scenario } from '../scenario.ts';
import { meScenario, signInScenario } from './auth.ts';
import { generatorScenario } from './generator.ts';
import { httpReadScenario } from './http.ts';
import { indicatorDashboardScenario } from './indicators.ts';
import { memoryScenario } from './memory.ts';
import { startupScenario } from './startup.ts';

/** Every scenario, in the order `pnpm bench` runs them. Capability issues append theirs here. */
export const scenarios: Scenario[] = [
  httpReadScenario,
  meScenario,
  signInScenario,
  memoryScenario,
  startupScenario,
  generatorScenario,
  indicatorDashboardScenario,
];
