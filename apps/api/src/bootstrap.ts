import { loadContent } from '@hts/content';
import type { CollectiveRuleDoc } from '@hts/contracts';
import { type DatabaseHandle, openDatabase, seedGeography, seedTargetGroups } from '@hts/db';
import { ensureDemoAccounts, ensureDemoVideo, ensureLrsClient, seedContentCourses, seedCriteria, seedIndicatorDefinitions } from '@hts/domain';
import { createObjectStore, type ObjectStore } from '@hts/storage';
import type { ApiConfig } from './config.ts';

export interface Platform {
  database: DatabaseHandle;
  objectStore: ObjectStore;
  /** content/criteria/collective, validated with the rest of content/. */
  collectiveRules: CollectiveRuleDoc[];
}

/** Opens and migrates the database, loads content/ into it, prepares the object store and demo accounts. */
export async function bootstrap(config: ApiConfig, log: (msg: string) => void): Promise<Platform> {
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl, maxConnections: config.databasePoolSize } : { dataDir: `${config.dataDir}/pglite` },
  );
  log(`database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'} (migrated)`);
  const content = await loadContent(config.contentDir);
  await seedGeography(database.db, content.province);
  await seedTargetGroups(database.db, content.targetGroups);
  log(`content: ${content.province.communes.length} communes of ${content.province.name}, ${content.targetGroups.length} target groups`);
  if (config.demoPassword) await ensureDemoAccounts(database.db, config.demoPassword);
  if (config.lrsDemoClient) {
    await ensureLrsClient(database.db, { name: 'demo xAPI client', ...config.lrsDemoClient, scopes: ['all'] });
    log(`xAPI: demo LRS client ${config.lrsDemoClient.key} (scope all) at /xapi/`);
  }
  const objectStore = createObjectStore(config.storage);
  await objectStore.init();
  if (config.demoPassword && config.demoVideo) {
    // Before the courses: a content video lesson naming the demo clip (DEMO_VIDEO_ID) is seeded only when it exists.
    // A missing ffmpeg must not stop the platform from starting: say so, and carry on without the clip.
    await ensureDemoVideo({ db: database.db, store: objectStore })
      .then((outcome) => outcome === 'created' && log('demo video: generated with ffmpeg, transcoding in the background'))
      .catch((error: unknown) => log(`demo video: not created (${error instanceof Error ? error.message : String(error)})`));
  }
  // every course in content/courses is published; unchanged ones keep their version on restart
  const seeded = await seedContentCourses(database.db, { competences: content.frameworks.flatMap((f) => f.competences), courses: content.courses });
  log(`courses: ${content.courses.length} in content/ (${seeded.published} newly published), ${content.frameworks.length} competence frameworks`);
  const criteria = await seedCriteria(
    database.db,
    content.criteria.map((c) => c.doc),
  );
  log(`criteria: ${content.criteria.length} versions in content/ (${criteria.published} newly published)`);
  const indicators = await seedIndicatorDefinitions(database.db, content.indicators);
  log(`indicators: ${content.indicators.length} definitions in content/ (${indicators.added} new versions)`);
  return { database, objectStore, collectiveRules: content.collectiveRules.map((r) => r.doc) };
}
