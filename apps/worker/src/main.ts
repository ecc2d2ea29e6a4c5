import { openDatabase } from '@hts/db';
import {
  coreJobHandlers,
  coreSchedules,
  credentialJobHandlers,
  indicatorExportJobHandlers,
  JOBS_CHANNEL,
  launchJobHandlers,
  launchSchedules,
  mediaJobHandlers,
  mediaSchedules,
  notificationJobHandlers,
  startWorkerLoop,
  systemClock,
} from '@hts/domain';
import { createObjectStore } from '@hts/storage';
import { loadWorkerConfig, WorkerConfigError } from './config.ts';

const log = {
  info: (obj: object, msg: string) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
  error: (obj: object, msg: string) => console.error(JSON.stringify({ level: 'error', msg, ...obj, err: String((obj as { err?: unknown }).err ?? '') })),
};

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const database = await openDatabase({ url: config.databaseUrl, maxConnections: config.databasePoolSize });
  const store = createObjectStore(config.storage);
  await store.init();
  const handlers = {
    ...coreJobHandlers,
    ...launchJobHandlers({ homePage: config.publicUrl }),
    ...mediaJobHandlers({ store, media: { keepSource: config.keepMediaSource } }),
    ...indicatorExportJobHandlers({ store, clock: systemClock }),
    ...notificationJobHandlers(config.notifications),
    ...(config.credentials ? credentialJobHandlers(config.credentials) : {}),
  };
  const worker = startWorkerLoop({
    db: database.db,
    handlers,
    schedules: [...coreSchedules, ...mediaSchedules, ...launchSchedules],
    log,
    pollMs: config.pollMs,
    workerId: config.workerId,
    wakeOn: (wake) => database.listen(JOBS_CHANNEL, wake),
  });
  log.info({ handlers: Object.keys(handlers) }, 'worker started');
  const stop = async () => {
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof WorkerConfigError ? `[worker] configuration error: ${error.message}` : error);
  process.exit(1);
});
