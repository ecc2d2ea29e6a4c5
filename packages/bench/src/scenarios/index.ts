import type { Scenario } from '../scenario.ts';

/** Every scenario, in the order `pnpm bench` runs them. Capability issues append theirs here. */
export const scenarios: Scenario[] = [];
