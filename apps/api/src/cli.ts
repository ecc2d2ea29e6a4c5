import { loadContent } from '@hts/content';
import { openDatabase } from '@hts/db';
import { runCli } from './cli/commands.ts';
import { ConfigError, loadConfig } from './config.ts';

/** `pnpm cli …`: administrative commands against the same database the API uses. */
async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl, maxConnections: 2 } : { dataDir: `${config.dataDir}/pglite` });
  try {
    return await runCli(
      process.argv.slice(2),
      database.db,
      { out: (l) => console.log(l), err: (l) => console.error(l) },
      { loadIndicators: async () => (await loadContent(config.contentDir)).indicators },
    );
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
    process.exit(1);
  },
);
