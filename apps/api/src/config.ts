import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CredentialSigningKey,
  generateSigningKeyPem,
  loadSigningKey,
  NotificationConfigError,
  type NotificationSettings,
  notificationSettingsFromEnv,
  SigningKeyError,
} from '@hts/domain';
import { type ObjectStoreConfig, objectStoreConfigFromEnv, StorageConfigError } from '@hts/storage';

/** Everything the API reads from its environment, read once, here and nowhere else. */
export interface ApiConfig {
  nodeEnv: 'production' | 'development' | 'test';
  publicUrl: string;
  host: string;
  port: number;
  /** Folder for PGlite, local objects and generated secrets in embedded mode. */
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  contentDir: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** null: do not create demo accounts (always null in production). */
  demoPassword: string | null;
  demoPasswordGenerated: boolean;
  trustProxy: string | boolean;
  logLevel: string;
  signInRateLimit: { perAddressPerMinute: number; perAccountFailures: number; perAccountWindowSeconds: number };
  storage: ObjectStoreConfig;
  runWorkerInProcess: boolean;
  /** The embedded demo xAPI client (LRS_DEMO_KEY / LRS_DEMO_SECRET); always null in production. */
  lrsDemoClient: { key: string; secret: string } | null;
  /** Generate and transcode a demo lesson video on first start (embedded demo only). */
  demoVideo: boolean;
  media: {
    maxUploadBytes: number;
    partSize: number;
    uploadTtlSeconds: number;
    keepSource: boolean;
    playbackUrlTtlSeconds: number;
  };
  /** E-mail (SMTP_URL, MAIL_FROM) and SMS gateway (SMS_GATEWAY_*) delivery of notices; none set: in-app only. */
  notifications: NotificationSettings;
  /** The Ed25519 key that signs certificates (CREDENTIAL_SIGNING_KEY), and the issuer's name on them. */
  credentials: { signingKey: CredentialSigningKey; issuerName: string };
  registry: {
    /** Key that hashes and encrypts national ID numbers in the registry (PII_SECRET). */
    piiSecret: string;
    maxImportBytes: number;
  };
}

export class ConfigError extends Error {}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

function bounded(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const n = int(env, name, fallback, min);
  if (n > max) throw new ConfigError(`${name} must be at most ${max}, got "${env[name]}"`);
  return n;
}

/** Secrets that must stay stable across restarts in embedded mode are generated once into the data folder. */
function embeddedSecret(dataDir: string, name: string): string {
  const file = join(dataDir, 'secrets.json');
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name] as string;
}

/**
 * The certificate signing key: CREDENTIAL_SIGNING_KEY (a PKCS#8 PEM; `\n` escapes are accepted, as a
 * one-line environment value needs them). The embedded default generates one into the data folder on first
 * start and keeps it: a new key on every start would orphan nothing (old keys stay published) but is noise.
 */
function credentialSigningKey(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): CredentialSigningKey {
  let pem = env.CREDENTIAL_SIGNING_KEY?.replace(/\\n/g, '\n');
  if (!pem) {
    if (production) throw new ConfigError('CREDENTIAL_SIGNING_KEY is required when NODE_ENV=production (openssl genpkey -algorithm ed25519)');
    const file = join(dataDir, 'credential-signing-key.pem');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, generateSigningKeyPem(), { mode: 0o600 });
    }
    pem = readFileSync(file, 'utf8');
  }
  try {
    return loadSigningKey(pem);
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigError(`CREDENTIAL_SIGNING_KEY: ${error.message}`);
    throw error;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const production = nodeEnv === 'production';
  const dataDir = resolve(env.DATA_DIR || join(repoRoot, 'data'));
  const databaseUrl = env.DATABASE_URL || undefined;
  const port = int(env, 'API_PORT', 3001, 0);
  // The address people open: the web server, which also proxies /api/* here.
  const publicUrl = (env.PUBLIC_URL || 'http://localhost:3000').replace(/\/$/, '');

  const jwtSecret = env.JWT_SECRET || (production ? '' : embeddedSecret(dataDir, 'jwt'));
  if (!jwtSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');

  let demoPassword: string | null = null;
  let demoPasswordGenerated = false;
  if (!production) {
    demoPassword = env.DEMO_PASSWORD || embeddedSecret(dataDir, 'demoPassword').slice(0, 12);
    demoPasswordGenerated = !env.DEMO_PASSWORD;
    if (demoPassword.length < 8) throw new ConfigError('DEMO_PASSWORD must be at least 8 characters');
  }

  let storage: ApiConfig['storage'];
  try {
    storage = objectStoreConfigFromEnv(env, { dataDir, fallbackSigningSecret: () => (production ? '' : embeddedSecret(dataDir, 'objects')) });
  } catch (error) {
    if (error instanceof StorageConfigError) throw new ConfigError(error.message);
    throw error;
  }

  // Changing it makes every stored ID number unreadable and unmatchable: set it once, keep it with the backups.
  const piiSecret = env.PII_SECRET || (production ? '' : embeddedSecret(dataDir, 'pii'));
  if (!piiSecret) throw new ConfigError('PII_SECRET is required when NODE_ENV=production');
  if (piiSecret.length < 32) throw new ConfigError('PII_SECRET must be at least 32 characters');

  let notifications: NotificationSettings;
  try {
    notifications = notificationSettingsFromEnv(env, publicUrl);
  } catch (error) {
    if (error instanceof NotificationConfigError) throw new ConfigError(error.message);
    throw error;
  }

  const trustProxyRaw = env.TRUST_PROXY ?? 'loopback';
  return {
    nodeEnv,
    publicUrl,
    host: env.API_HOST || '127.0.0.1',
    port,
    dataDir,
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1),
    contentDir: resolve(env.CONTENT_DIR || join(repoRoot, 'content')),
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 900, 30),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 30 * 24 * 3600, 60),
    demoPassword,
    demoPasswordGenerated,
    trustProxy: trustProxyRaw === 'true' ? true : trustProxyRaw === 'false' ? false : trustProxyRaw,
    // Request logs matter in production; on a laptop they would bury the start banner.
    logLevel: env.LOG_LEVEL || (production ? 'info' : 'warn'),
    signInRateLimit: {
      perAddressPerMinute: int(env, 'SIGNIN_RATE_PER_ADDRESS', 30, 1),
      perAccountFailures: int(env, 'SIGNIN_MAX_FAILURES', 5, 1),
      perAccountWindowSeconds: int(env, 'SIGNIN_FAILURE_WINDOW', 900, 1),
    },
    storage,
    runWorkerInProcess: env.RUN_WORKER !== 'false',
    lrsDemoClient: !production && env.LRS_DEMO_KEY && env.LRS_DEMO_SECRET ? { key: env.LRS_DEMO_KEY, secret: env.LRS_DEMO_SECRET } : null,
    demoVideo: env.DEMO_VIDEO !== 'false',
    media: {
      maxUploadBytes: int(env, 'MEDIA_MAX_UPLOAD_BYTES', 2 * 1024 * 1024 * 1024, 1),
      // S3 needs parts of at least 5 MiB; 64 MiB is the most the object store package accepts.
      partSize: bounded(env, 'MEDIA_PART_SIZE', 8 * 1024 * 1024, 5 * 1024 * 1024, 64 * 1024 * 1024),
      uploadTtlSeconds: int(env, 'MEDIA_UPLOAD_TTL', 24 * 3600, 60),
      keepSource: env.MEDIA_KEEP_SOURCE !== 'false',
      playbackUrlTtlSeconds: bounded(env, 'MEDIA_URL_TTL', 6 * 3600, 60, 7 * 24 * 3600),
    },
    notifications,
    credentials: { signingKey: credentialSigningKey(env, dataDir, production), issuerName: env.CREDENTIAL_ISSUER_NAME || 'Học tập số — tỉnh Bắc Ninh' },
    registry: {
      piiSecret,
      maxImportBytes: bounded(env, 'REGISTRY_IMPORT_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    },
  };
}
