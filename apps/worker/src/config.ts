import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ObjectStoreConfig } from '@hts/storage';

/** The worker's environment, read once here. */
export interface WorkerConfig {
  databaseUrl: string;
  databasePoolSize: number;
  pollMs: number;
  workerId: string | undefined;
  /** Where transcoding reads sources and writes renditions: the same store the API uses. */
  storage: ObjectStoreConfig;
  keepMediaSource: boolean;
}

export class WorkerConfigError extends Error {}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  // A separate worker only makes sense against a shared PostgreSQL: PGlite lives inside the API process.
  if (!env.DATABASE_URL) throw new WorkerConfigError('DATABASE_URL is required: the embedded default runs its worker inside the API (pnpm start)');
  const pollMs = Number(env.WORKER_POLL_MS ?? 1000);
  if (!Number.isInteger(pollMs) || pollMs < 10) throw new WorkerConfigError(`WORKER_POLL_MS must be a whole number ≥ 10, got "${env.WORKER_POLL_MS}"`);
  const pool = Number(env.DATABASE_POOL_SIZE ?? 3);
  if (!Number.isInteger(pool) || pool < 1) throw new WorkerConfigError(`DATABASE_POOL_SIZE must be a whole number ≥ 1, got "${env.DATABASE_POOL_SIZE}"`);
  const storage: ObjectStoreConfig = env.S3_ENDPOINT
    ? {
        kind: 's3',
        endPoint: env.S3_ENDPOINT,
        port: Number(env.S3_PORT || (env.S3_USE_SSL === 'false' ? 80 : 443)),
        useSSL: env.S3_USE_SSL !== 'false',
        accessKey: env.S3_ACCESS_KEY ?? '',
        secretKey: env.S3_SECRET_KEY ?? '',
        bucket: env.S3_BUCKET || 'hoc-tap-so',
        ...(env.S3_REGION ? { region: env.S3_REGION } : {}),
      }
    : {
        // A worker beside the API on one machine shares its object folder; it never signs URLs.
        kind: 'local',
        dir: join(resolve(env.DATA_DIR || 'data'), 'objects'),
        publicBaseUrl: env.OBJECTS_PUBLIC_URL || 'http://localhost:3000/objects',
        signingSecret: env.OBJECTS_SIGNING_SECRET || randomBytes(32).toString('base64url'),
      };
  return {
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: pool,
    pollMs,
    workerId: env.WORKER_ID || undefined,
    storage,
    keepMediaSource: env.MEDIA_KEEP_SOURCE !== 'false',
  };
}
