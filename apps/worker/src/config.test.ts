import { describe, expect, it } from 'vitest';
import { loadWorkerConfig, WorkerConfigError } from './config.ts';

describe('worker config', () => {
  it('needs a shared PostgreSQL, since PGlite lives inside the API process', () => {
    expect(() => loadWorkerConfig({})).toThrow(WorkerConfigError);
  });

  it('reads the database URL and defaults the poll interval to one second', () => {
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' })).toEqual({
      databaseUrl: 'postgres://x/y',
      databasePoolSize: 3,
      pollMs: 1000,
      workerId: undefined,
    });
  });

  it('rejects a poll interval that is not a number, naming the variable', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', WORKER_POLL_MS: 'soon' })).toThrow(/WORKER_POLL_MS/);
  });
});
