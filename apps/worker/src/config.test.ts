import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeyPem, loadSigningKey } from '@hts/domain';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig, WorkerConfigError } from './config.ts';

describe('worker config', () => {
  it('needs a shared PostgreSQL, since PGlite lives inside the API process', () => {
    expect(() => loadWorkerConfig({})).toThrow(WorkerConfigError);
  });

  it('reads the database URL and defaults the poll interval to one second', () => {
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' })).toMatchObject({
      databaseUrl: 'postgres://x/y',
      databasePoolSize: 3,
      pollMs: 1000,
      workerId: undefined,
      keepMediaSource: true,
    });
  });

  it('rejects a poll interval that is not a number, naming the variable', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', WORKER_POLL_MS: 'soon' })).toThrow(/WORKER_POLL_MS/);
  });

  it('reads the same object store as the API, so transcoding finds the uploads', () => {
    const config = loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', S3_ENDPOINT: 'minio', S3_USE_SSL: 'false', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' });
    expect(config.storage).toMatchObject({ kind: 's3', endPoint: 'minio', port: 80, bucket: 'hoc-tap-so' });
  });

  it('defaults to the API’s data folder (the repository’s ./data), not the folder it was started in', () => {
    const config = loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' });
    expect(config.storage).toMatchObject({ kind: 'local', dir: resolve(fileURLToPath(new URL('../../../data/objects', import.meta.url))) });
  });

  it('reads PUBLIC_URL as the home page of the statements its jobs write (abandoned cmi5 sessions)', () => {
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' }).publicUrl).toBe('http://localhost:3000');
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', PUBLIC_URL: 'https://hoctap.example/' }).publicUrl).toBe('https://hoctap.example');
  });

  it('names an S3 setting at fault', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', S3_ENDPOINT: 'minio' })).toThrow(/S3_ACCESS_KEY/);
  });

  it('signs certificates with CREDENTIAL_SIGNING_KEY, demands it in production, and leaves them to the API otherwise', () => {
    const pem = generateSigningKeyPem();
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://x/y' }).credentials).toBeNull();
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', NODE_ENV: 'production' })).toThrow(/CREDENTIAL_SIGNING_KEY/);
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', CREDENTIAL_SIGNING_KEY: 'nope' })).toThrow(WorkerConfigError);
    const config = loadWorkerConfig({ DATABASE_URL: 'postgres://x/y', CREDENTIAL_SIGNING_KEY: pem, PUBLIC_URL: 'https://hoctap.example/' });
    expect(config.credentials?.publicUrl).toBe('https://hoctap.example');
    expect(config.credentials?.signingKey.kid).toBe(loadSigningKey(pem).kid);
  });
});
