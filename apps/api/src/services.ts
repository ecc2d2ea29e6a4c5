import type { Db } from '@hts/db';
import type { AuthDeps, Clock } from '@hts/domain';

/** What route handlers reach through `app.services`: built once in main (or a test) and passed in. */
export interface Services {
  db: Db;
  pingDatabase(): Promise<void>;
  objectStore: { health(): Promise<void> };
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    authDeps: AuthDeps;
  }
}
