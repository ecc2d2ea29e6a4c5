import { createHmac } from 'node:crypto';
import {
  CatalogCache,
  coreJobHandlers,
  coreSchedules,
  credentialJobHandlers,
  demoAccounts,
  IdNumberCodec,
  IndicatorReportCache,
  indicatorExportJobHandlers,
  JOBS_CHANNEL,
  launchJobHandlers,
  launchSchedules,
  mediaJobHandlers,
  mediaSchedules,
  notificationJobHandlers,
  notifierFor,
  startWorkerLoop,
  systemClock,
} from '@hts/domain';
import { buildApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const say = (msg: string) => process.stdout.write(`[api] ${msg}\n`);
  const { database, objectStore, collectiveRules } = await bootstrap(config, say);
  // Rendition playlist links are signed with a key derived from the JWT secret: one secret less to manage.
  const playlistSigningSecret = createHmac('sha256', config.jwtSecret).update('media-playlists').digest('base64url');
  const media = { ...config.media, playlistSigningSecret };
  const registry = { codec: new IdNumberCodec(config.registry.piiSecret), maxImportBytes: config.registry.maxImportBytes };
  const credentials = { signingKey: config.credentials.signingKey, issuerName: config.credentials.issuerName, publicUrl: config.publicUrl };
  const app = await buildApp(config, {
    db: database.db,
    pingDatabase: database.ping,
    objectStore,
    clock: systemClock,
    media,
    registry,
    collectiveRules,
    notifier: notifierFor(config.notifications),
    credentials,
    catalogCache: new CatalogCache(),
    indicatorCache: new IndicatorReportCache(),
  });
  const handlers = {
    ...coreJobHandlers,
    ...launchJobHandlers({ homePage: config.publicUrl }),
    ...mediaJobHandlers({ store: objectStore, media }),
    ...indicatorExportJobHandlers({ store: objectStore, clock: systemClock }),
    ...notificationJobHandlers(config.notifications),
    ...credentialJobHandlers(credentials),
  };
  const worker = config.runWorkerInProcess
    ? startWorkerLoop({
        db: database.db,
        handlers,
        schedules: [...coreSchedules, ...mediaSchedules, ...launchSchedules],
        log: app.log,
        workerId: 'api-in-process',
        wakeOn: (wake) => database.listen(JOBS_CHANNEL, wake),
      })
    : null;
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  say(`listening on http://${config.host}:${port} (docs: /docs)`);
  if (config.demoPassword) {
    say(`demo accounts (password ${config.demoPassword}${config.demoPasswordGenerated ? ', generated; set DEMO_PASSWORD to choose one' : ''}):`);
    for (const a of demoAccounts) say(`  ${a.role.padEnd(8)} ${a.email}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: shutting down`);
    await app.close();
    await worker?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`[api] configuration error: ${error.message}`);
  else console.error('[api] failed to start:', error);
  process.exit(1);
});
