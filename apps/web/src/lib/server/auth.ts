import { type ApiClient, ApiError } from '@hts/api-client';
import type { TokenPair } from '@hts/contracts';
import { needsRefresh, type SessionData, seal, sessionFromTokens, unseal } from './session.ts';

export const SESSION_COOKIE = 'hts_session';

/** What should happen to the session cookie after this request. */
export type CookieChange = { kind: 'keep' } | { kind: 'set'; session: SessionData } | { kind: 'clear' };

export interface ResolvedSession {
  session: SessionData | null;
  cookie: CookieChange;
}

/**
 * Refreshes in flight or just done, by the refresh token they used. The API rotates refresh tokens and
 * treats a second use of an old one as theft, so two requests of one browser that both find the access
 * token expired (a page and its data request, parallel fetches) must share one refresh, not race.
 * Kept a minute so a request that still carries the old cookie gets the new pair too.
 */
const refreshes = new Map<string, { result: Promise<SessionData | null>; expires: number }>();
const REFRESH_MEMORY_MS = 60_000;

function rememberedRefresh(token: string, now: number): Promise<SessionData | null> | undefined {
  for (const [key, entry] of refreshes) if (entry.expires <= now) refreshes.delete(key);
  return refreshes.get(token)?.result;
}

/**
 * Exchange the refresh token for a new pair. null when the API refuses it (the session is over);
 * throws when the API cannot be reached (the session may still be good: keep the cookie).
 */
export function refreshSession(api: ApiClient, session: SessionData, now: () => number = Date.now): Promise<SessionData | null> {
  const existing = rememberedRefresh(session.refreshToken, now());
  if (existing) return existing;
  const result = api
    .call('refresh', { body: { refreshToken: session.refreshToken } })
    .then((pair) => sessionFromTokens(pair, now()))
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return null;
      refreshes.delete(session.refreshToken);
      throw err;
    });
  refreshes.set(session.refreshToken, { result, expires: now() + REFRESH_MEMORY_MS });
  return result;
}

/** Unseal the cookie and refresh the access token when it is expired or about to be. */
export async function resolveSession(cookieValue: string | undefined, key: Buffer, api: ApiClient, now: () => number = Date.now): Promise<ResolvedSession> {
  if (!cookieValue) return { session: null, cookie: { kind: 'keep' } };
  const session = unseal(cookieValue, key);
  if (!session) return { session: null, cookie: { kind: 'clear' } };
  if (session.refreshExpiresAt <= now()) return { session: null, cookie: { kind: 'clear' } };
  if (!needsRefresh(session, now())) return { session, cookie: { kind: 'keep' } };
  try {
    const renewed = await refreshSession(api, session, now);
    if (!renewed) return { session: null, cookie: { kind: 'clear' } };
    return { session: renewed, cookie: { kind: 'set', session: renewed } };
  } catch (err) {
    console.error('session refresh failed: API unreachable', err instanceof Error ? err.message : err);
    return { session: null, cookie: { kind: 'keep' } };
  }
}

export interface SessionCookieOptions {
  path: '/';
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  maxAge: number;
}

export function sessionCookieOptions(url: URL, session: SessionData | null, now: number = Date.now()): SessionCookieOptions {
  const maxAge = session ? Math.max(0, Math.floor((session.refreshExpiresAt - now) / 1000)) : 0;
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge };
}

export function sealedCookieValue(session: SessionData, key: Buffer): string {
  return seal(session, key);
}

/** A Set-Cookie header value, for responses that do not pass through SvelteKit's cookie handling (the proxy). */
export function serializeSessionCookie(url: URL, value: string | null, session: SessionData | null, now: number = Date.now()): string {
  const options = sessionCookieOptions(url, session, now);
  const parts = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', `Max-Age=${value ? options.maxAge : 0}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function sessionFromPair(pair: TokenPair, now: number = Date.now()): SessionData {
  return sessionFromTokens(pair, now);
}

interface CookieJar {
  set(name: string, value: string, options: SessionCookieOptions): void;
  delete(name: string, options: { path: '/'; secure: boolean }): void;
}

/** Apply a cookie change through SvelteKit's `event.cookies` (pages, actions, endpoints). */
export function applyCookieChange(cookies: CookieJar, url: URL, change: CookieChange, key: Buffer): void {
  if (change.kind === 'set') cookies.set(SESSION_COOKIE, seal(change.session, key), sessionCookieOptions(url, change.session));
  else if (change.kind === 'clear') cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/** Start a session from a fresh token pair (login, register). */
export function startSession(cookies: CookieJar, url: URL, pair: TokenPair, key: Buffer): SessionData {
  const session = sessionFromPair(pair);
  applyCookieChange(cookies, url, { kind: 'set', session }, key);
  return session;
}
