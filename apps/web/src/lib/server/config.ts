import { randomBytes } from 'node:crypto';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import { parseMediaOrigins } from './csp.ts';
import { deriveSessionKey } from './session.ts';

/** The web server's settings. This module is the only reader of the environment in apps/web. */
export interface WebConfig {
  /** Where the API listens, e.g. http://127.0.0.1:3001 (no trailing slash). */
  apiUrl: string;
  nodeEnv: string;
  production: boolean;
  /** AES key for the session cookie, derived from SESSION_SECRET. */
  sessionKey: Buffer;
  /** true when SESSION_SECRET was not set and a random one was made for this process. */
  sessionSecretGenerated: boolean;
  /** MEDIA_ORIGINS: where playlists, segments, posters and captions come from besides this site (S3, CDN). */
  mediaOrigins: string[];
}

let cached: WebConfig | undefined;

export function loadConfig(source: Record<string, string | undefined>): WebConfig {
  const nodeEnv = source.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const apiUrl = (source.API_URL || 'http://127.0.0.1:3001').replace(/\/+$/, '');
  try {
    new URL(apiUrl);
  } catch {
    throw new Error(`API_URL is not a URL: ${apiUrl}`);
  }
  let secret = source.SESSION_SECRET ?? '';
  let sessionSecretGenerated = false;
  if (!secret) {
    if (production) throw new Error('SESSION_SECRET must be set when NODE_ENV=production (at least 32 characters)');
    secret = randomBytes(32).toString('base64url');
    sessionSecretGenerated = true;
  } else if (production && secret.length < 32) {
    throw new Error('SESSION_SECRET must be at least 32 characters when NODE_ENV=production');
  }
  const mediaOrigins = parseMediaOrigins(source.MEDIA_ORIGINS);
  return { apiUrl, nodeEnv, production, sessionKey: deriveSessionKey(secret), sessionSecretGenerated, mediaOrigins };
}

/** Read once, on first use (not at build time, when the environment of the server is unknown). */
export function config(): WebConfig {
  if (building) throw new Error('server config is not available while building');
  cached ??= loadConfig(env);
  return cached;
}
