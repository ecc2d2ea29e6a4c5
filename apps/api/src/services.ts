import type { CollectiveRuleDoc } from '@hts/contracts';
import type { Db } from '@hts/db';
import type { AuthDeps, CatalogCache, Clock, CredentialSettings, IndicatorReportCache, MediaSettings, Notifier, RegistrySettings } from '@hts/domain';
import type { ObjectStore } from '@hts/storage';

/** What route handlers reach through `app.services`: built once in main (or a test) and passed in. */
export interface Services {
  db: Db;
  pingDatabase(): Promise<void>;
  objectStore: ObjectStore;
  media: MediaSettings;
  registry: RegistrySettings;
  /** content/criteria/collective, loaded on start. */
  collectiveRules: CollectiveRuleDoc[];
  clock: Clock;
  /** How people are told of steps on their records (in-app, plus e-mail/SMS jobs when configured); unset: in-app only. */
  notifier?: Notifier;
  /** The certificate signing key and the public address credentials name. */
  credentials: CredentialSettings;
  /** Recent public catalog answers; publishing through this process clears it. */
  catalogCache: CatalogCache;
  /** Assembled indicator dashboards, served while their year's rollups are unchanged. */
  indicatorCache: IndicatorReportCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    authDeps: AuthDeps;
  }
}
