/**
 * For the browser tests: prepares a data folder (DATA_DIR, PGlite) with content, the demo accounts and the
 * hand-computed indicator fixture in two communes (07627 Đại Sơn, the demo officer's, and 07615 Sơn Động),
 * with the rollups built, before the API starts on it. Run from apps/api: node --import tsx <this file>.
 */
import { defaultContentDir, loadContent } from '@hts/content';
import { openDatabase, seedGeography, seedTargetGroups } from '@hts/db';
import { ensureDemoAccounts, rebuildIndicatorRollups, seedIndicatorDefinitions, systemClock } from '@hts/domain';
import { seedIndicatorFixture } from '@hts/domain/testing';

const dataDir = process.env.DATA_DIR;
const password = process.env.DEMO_PASSWORD;
if (!dataDir || !password) throw new Error('DATA_DIR and DEMO_PASSWORD are required');
const database = await openDatabase({ dataDir: `${dataDir}/pglite` });
try {
  const content = await loadContent(process.env.CONTENT_DIR ?? defaultContentDir);
  await seedGeography(database.db, content.province);
  await seedTargetGroups(database.db, content.targetGroups);
  await seedIndicatorDefinitions(database.db, content.indicators);
  await ensureDemoAccounts(database.db, password);
  await seedIndicatorFixture(database.db, '07627');
  await seedIndicatorFixture(database.db, '07615');
  const result = await rebuildIndicatorRollups(database.db, systemClock);
  console.log(`indicator fixture ready: ${result.cells} rollup cells`);
} finally {
  await database.close();
}
