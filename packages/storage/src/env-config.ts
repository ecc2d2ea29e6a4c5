import { join } from 'node:path';
import type { ObjectStoreConfig } from './index.ts';

export class StorageConfigError extends Error {}

/**
 * The object store settings as every app reads them (S3_* for MinIO/S3, else the local folder under
 * `dataDir`), so the API and the workers cannot drift apart. The app passes its environment in; this
 * package still reads none itself.
 */
export function objectStoreConfigFromEnv(
  env: Record<string, string | undefined>,
  options: {
    /** The resolved DATA_DIR: the local folder is `<dataDir>/objects`. */
    dataDir: string;
    /** The local folder's signing secret when OBJECTS_SIGNING_SECRET is unset ('' = required). */
    fallbackSigningSecret: () => string;
  },
): ObjectStoreConfig {
  if (env.S3_ENDPOINT) {
    const raw = env.S3_PORT;
    const port = raw === undefined || raw === '' ? (env.S3_USE_SSL === 'false' ? 80 : 443) : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new StorageConfigError(`S3_PORT must be a port number (1–65535), got "${raw}"`);
    if (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY) throw new StorageConfigError('S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT');
    return {
      kind: 's3',
      endPoint: env.S3_ENDPOINT,
      port,
      useSSL: env.S3_USE_SSL !== 'false',
      accessKey: env.S3_ACCESS_KEY,
      secretKey: env.S3_SECRET_KEY,
      bucket: env.S3_BUCKET || 'hoc-tap-so',
      ...(env.S3_REGION ? { region: env.S3_REGION } : {}),
    };
  }
  const signingSecret = env.OBJECTS_SIGNING_SECRET || options.fallbackSigningSecret();
  if (!signingSecret) throw new StorageConfigError('OBJECTS_SIGNING_SECRET is required for the local object folder when NODE_ENV=production');
  return {
    kind: 'local',
    dir: join(options.dataDir, 'objects'),
    // a path on the site by default: signed URLs follow whatever address the viewer opened
    publicBaseUrl: env.OBJECTS_PUBLIC_URL || '/objects',
    signingSecret,
  };
}
