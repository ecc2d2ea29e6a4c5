import type { Scenario } from '../scenario.ts';
import { meScenario, signInScenario } from './auth.ts';
import { catalogScenario } from './catalog.ts';
import { credentialsScenario } from './credentials.ts';
import { generatorScenario } from './generator.ts';
import { httpReadScenario } from './http.ts';
import { indicatorDashboardScenario, indicatorLagScenario } from './indicators.ts';
import { learningProgressScenario } from './learning-progress.ts';
import { firstFrameScenario } from './media-first-frame.ts';
import { transcodeScenario } from './media-transcode.ts';
import { uploadMemoryScenario } from './media-upload.ts';
import { memoryScenario } from './memory.ts';
import { mixScenario } from './mix.ts';
import { startupScenario } from './startup.ts';
import { xapiIngestScenario } from './xapi.ts';
import { xapiQueryScenario } from './xapi-query.ts';

/** Every scenario, in the order `pnpm bench` runs them. Capability issues append theirs here. */
export const scenarios: Scenario[] = [
  httpReadScenario,
  catalogScenario,
  meScenario,
  signInScenario,
  memoryScenario,
  startupScenario,
  generatorScenario,
  transcodeScenario,
  firstFrameScenario,
  uploadMemoryScenario,
  xapiIngestScenario,
  xapiQueryScenario,
  indicatorDashboardScenario,
  mixScenario,
  credentialsScenario,
  learningProgressScenario,
  indicatorLagScenario,
];
