import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the session cookie holds, sealed: the browser never sees a token in clear. */
export interface SessionData {
  accessToken: string;
  refreshToken: string;
  /** epoch milliseconds */
  accessExpiresAt: number;
  /** epoch milliseconds; the cookie lives as long as the refresh token */
  refreshExpiresAt: number;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit AES key derived from SESSION_SECRET with HKDF-SHA256. */
export function deriveSessionKey(secret: string): Buffer {
  if (secret.length === 0) throw new Error('session secret is empty');
  return Buffer.from(hkdfSync('sha256', secret, 'hts-web-session', 'session-cookie/aes-256-gcm/v1', 32));
}

/** AES-256-GCM: `v1.` + base64url(iv | ciphertext | tag); the version is authenticated data. */
export function seal(data: SessionData, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(VERSION));
  const plain = Buffer.from(JSON.stringify([data.accessToken, data.refreshToken, data.accessExpiresAt, data.refreshExpiresAt]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The session in a sealed value, or null when it is malformed, tampered with or sealed with another key. */
export function unseal(value: string | undefined | null, key: Buffer): SessionData | null {
  if (!value?.startsWith(`${VERSION}.`)) return null;
  try {
    const raw = Buffer.from(value.slice(VERSION.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) return null;
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    const parsed: unknown = JSON.parse(plain);
    if (!Array.isArray(parsed) || parsed.length !== 4) return null;
    const [accessToken, refreshToken, accessExpiresAt, refreshExpiresAt] = parsed as unknown[];
    if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') return null;
    if (typeof accessExpiresAt !== 'number' || typeof refreshExpiresAt !== 'number') return null;
    return { accessToken, refreshToken, accessExpiresAt, refreshExpiresAt };
  } catch {
    return null;
  }
}

/** Refresh this long before the access token expires, so a request never reaches the API with a dying token. */
export const REFRESH_MARGIN_MS = 30_000;

export function needsRefresh(session: SessionData, now: number): boolean {
  return session.accessExpiresAt - now <= REFRESH_MARGIN_MS;
}

export function sessionFromTokens(pair: { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number }, now: number): SessionData {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    accessExpiresAt: now + pair.expiresIn * 1000,
    refreshExpiresAt: now + pair.refreshExpiresIn * 1000,
  };
}
