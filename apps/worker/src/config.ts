import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CredentialSigningKey,
  loadSigningKey,
  NotificationConfigError,
  type NotificationSettings,
  notificationSettingsFromEnv,
  SigningKeyError,
} from '@hts/domain';
import { type ObjectStoreConfig, objectStoreConfigFromEnv, StorageConfigError } from '@hts/storage';

/** The same default data folder as the API's (the repository's ./data), whatever folder the worker starts in. */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The worker's environment, read once here. */
export interface WorkerConfig {
  databaseUrl: string;
  databasePoolSize: number;
  pollMs: number;
  workerId: string | undefined;
  /** The platform's public address (PUBLIC_URL): the home page of learners' xAPI accounts, for the statements jobs write. */
  publicUrl: string;
  /** Where transcoding reads sources and writes renditions: the same store the API uses. */
  storage: ObjectStoreConfig;
  keepMediaSource: boolean;
  /** The same e-mail/SMS settings as the API's: the worker sends what the API queued. */
  notifications: NotificationSettings;
  /**
   * Signs the certificates of course completions (CREDENTIAL_SIGNING_KEY, the API's key; PUBLIC_URL names
   * the issuer). null outside production when unset: the API's in-process worker issues them then.
   */
  credentials: { signingKey: CredentialSigningKey; publicUrl: string; issuerName: string } | null;
}

export class WorkerConfigError extends Error {}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  // A separate worker only makes sense against a shared PostgreSQL: PGlite lives inside the API process.
  if (!env.DATABASE_URL) throw new WorkerConfigError('DATABASE_URL is required: the embedded default runs its worker inside the API (pnpm start)');
  const pollMs = Number(env.WORKER_POLL_MS ?? 1000);
  if (!Number.isInteger(pollMs) || pollMs < 10) throw new WorkerConfigError(`WORKER_POLL_MS must be a whole number ≥ 10, got "${env.WORKER_POLL_MS}"`);
  const pool = Number(env.DATABASE_POOL_SIZE ?? 3);
  if (!Number.isInteger(pool) || pool < 1) throw new WorkerConfigError(`DATABASE_POOL_SIZE must be a whole number ≥ 1, got "${env.DATABASE_POOL_SIZE}"`);
  let storage: ObjectStoreConfig;
  try {
    // A worker beside the API on one machine shares its object folder; it never signs URLs.
    storage = objectStoreConfigFromEnv(env, {
      dataDir: resolve(env.DATA_DIR || join(repoRoot, 'data')),
      fallbackSigningSecret: () => randomBytes(32).toString('base64url'),
    });
  } catch (error) {
    if (error instanceof StorageConfigError) throw new WorkerConfigError(error.message);
    throw error;
  }
  let notifications: NotificationSettings;
  try {
    notifications = notificationSettingsFromEnv(env, env.PUBLIC_URL || 'http://localhost:3000');
  } catch (error) {
    if (error instanceof NotificationConfigError) throw new WorkerConfigError(error.message);
    throw error;
  }
  let credentials: WorkerConfig['credentials'] = null;
  const pem = env.CREDENTIAL_SIGNING_KEY?.replace(/\\n/g, '\n');
  if (!pem && env.NODE_ENV === 'production')
    throw new WorkerConfigError('CREDENTIAL_SIGNING_KEY is required when NODE_ENV=production: the worker signs certificates');
  if (pem) {
    try {
      credentials = {
        signingKey: loadSigningKey(pem),
        publicUrl: (env.PUBLIC_URL || 'http://localhost:3000').replace(/\/$/, ''),
        issuerName: env.CREDENTIAL_ISSUER_NAME || 'Học tập số — tỉnh Bắc Ninh',
      };
    } catch (error) {
      if (error instanceof SigningKeyError) throw new WorkerConfigError(`CREDENTIAL_SIGNING_KEY: ${error.message}`);
      throw error;
    }
  }
  return {
    publicUrl: (env.PUBLIC_URL || 'http://localhost:3000').replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: pool,
    pollMs,
    workerId: env.WORKER_ID || undefined,
    storage,
    keepMediaSource: env.MEDIA_KEEP_SOURCE !== 'false',
    notifications,
    credentials,
  };
}
