import { ApiError, createApiClient } from '@hts/api-client';
import { describe, expect, it, vi } from 'vitest';
import { refreshSession, resolveSession, serializeSessionCookie } from './auth.ts';
import { deriveSessionKey, needsRefresh, type SessionData, seal, unseal } from './session.ts';

const key = deriveSessionKey('test secret that is long enough for production use');
const session: SessionData = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.payload.signature',
  refreshToken: 'refresh-token-0123456789abcdef',
  accessExpiresAt: 1_800_000_000_000,
  refreshExpiresAt: 1_801_000_000_000,
};

function flipByte(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return `v1.${raw.toString('base64url')}`;
}

describe('session cookie sealing', () => {
  it('round-trips a session through seal and unseal', () => {
    expect(unseal(seal(session, key), key)).toEqual(session);
  });

  it('never shows a token in clear in the cookie value', () => {
    const sealed = seal(session, key);
    expect(sealed).not.toContain('refresh-token');
    expect(sealed).not.toContain('eyJ');
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain('refresh-token');
  });

  it('seals the same session differently each time (random IV)', () => {
    expect(seal(session, key)).not.toBe(seal(session, key));
  });

  it('rejects a cookie with a changed byte in the IV, the ciphertext or the tag', () => {
    const sealed = seal(session, key);
    const length = Buffer.from(sealed.slice(3), 'base64url').length;
    for (const index of [0, 11, 12, 20, length - 17, length - 1]) expect(unseal(flipByte(sealed, index), key)).toBeNull();
  });

  it('rejects a cookie sealed with another secret', () => {
    expect(unseal(seal(session, deriveSessionKey('another secret')), key)).toBeNull();
  });

  it('rejects truncated, foreign and malformed values', () => {
    const sealed = seal(session, key);
    for (const value of [sealed.slice(0, 20), sealed.slice(0, -4), `v2.${sealed.slice(3)}`, 'v1.', 'v1.%%%', 'garbage', '', undefined, null]) {
      expect(unseal(value, key)).toBeNull();
    }
  });
});

describe('access token refresh', () => {
  const pair = (n: number) => ({
    tokenType: 'Bearer' as const,
    accessToken: `access-${n}`,
    expiresIn: 900,
    refreshToken: `refresh-token-rotated-${n}-0123456789`,
    refreshExpiresIn: 30 * 86400,
    user: {} as never,
  });
  function apiAnswering(answer: () => Response | Promise<Response>) {
    const fetch = vi.fn(async () => answer());
    return { api: createApiClient({ baseUrl: 'http://api.test', fetch: fetch as unknown as typeof globalThis.fetch }), fetch };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('refreshes when the access token expires within 30 seconds, not before', () => {
    const now = session.accessExpiresAt - 31_000;
    expect(needsRefresh(session, now)).toBe(false);
    expect(needsRefresh(session, now + 1_000)).toBe(true);
    expect(needsRefresh(session, session.accessExpiresAt + 1)).toBe(true);
  });

  it('keeps a fresh session without calling the API', async () => {
    const { api, fetch } = apiAnswering(() => json(200, pair(1)));
    const result = await resolveSession(seal(session, key), key, api, () => session.accessExpiresAt - 60_000);
    expect(result).toEqual({ session, cookie: { kind: 'keep' } });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('stores the new pair after a refresh (the API rotates refresh tokens)', async () => {
    const now = session.accessExpiresAt - 10_000;
    const { api, fetch } = apiAnswering(() => json(200, pair(2)));
    const result = await resolveSession(seal({ ...session, refreshToken: 'refresh-token-store-new-pair-0001' }, key), key, api, () => now);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(result.session).toEqual({
      accessToken: 'access-2',
      refreshToken: 'refresh-token-rotated-2-0123456789',
      accessExpiresAt: now + 900_000,
      refreshExpiresAt: now + 30 * 86400_000,
    });
    expect(result.cookie).toEqual({ kind: 'set', session: result.session });
  });

  it('clears the cookie when the API refuses the refresh token', async () => {
    const { api } = apiAnswering(() => json(401, { code: 'token_invalid', message: 'refresh token is not valid' }));
    const result = await resolveSession(seal({ ...session, refreshToken: 'refresh-token-refused-000000001' }, key), key, api, () => session.accessExpiresAt);
    expect(result).toEqual({ session: null, cookie: { kind: 'clear' } });
  });

  it('keeps the cookie but signs nobody in when the API cannot be reached', async () => {
    const { api } = apiAnswering(() => Promise.reject(new TypeError('fetch failed')));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await resolveSession(seal({ ...session, refreshToken: 'refresh-token-unreachable-00001' }, key), key, api, () => session.accessExpiresAt);
    expect(result).toEqual({ session: null, cookie: { kind: 'keep' } });
  });

  it('clears a tampered cookie and one whose refresh token has expired', async () => {
    const { api, fetch } = apiAnswering(() => json(200, pair(3)));
    expect(await resolveSession(flipByte(seal(session, key), 30), key, api)).toEqual({ session: null, cookie: { kind: 'clear' } });
    expect(await resolveSession(seal(session, key), key, api, () => session.refreshExpiresAt + 1)).toEqual({
      session: null,
      cookie: { kind: 'clear' },
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shares one refresh between parallel requests that carry the same old cookie', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { api, fetch } = apiAnswering(async () => {
      await gate;
      return json(200, pair(4));
    });
    const old = { ...session, refreshToken: 'refresh-token-parallel-000000001' };
    const now = () => session.accessExpiresAt;
    const both = Promise.all([refreshSession(api, old, now), refreshSession(api, old, now)]);
    release();
    const [a, b] = await both;
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(a).toEqual(b);
    expect(a?.refreshToken).toBe('refresh-token-rotated-4-0123456789');
  });

  it('does not treat a rate-limited refresh as the end of the session', async () => {
    const { api } = apiAnswering(() => json(429, { code: 'rate_limited', message: 'slow down' }));
    await expect(refreshSession(api, { ...session, refreshToken: 'refresh-token-rate-limited-0001' })).rejects.toBeInstanceOf(ApiError);
  });
});

describe('session cookie attributes', () => {
  it('is httpOnly, SameSite=Lax, path / and Secure only over https', () => {
    const sealed = seal(session, key);
    const http = serializeSessionCookie(new URL('http://127.0.0.1:3000/api/me'), sealed, session, session.refreshExpiresAt - 3600_000);
    expect(http).toBe(`hts_session=${sealed}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax`);
    const https = serializeSessionCookie(new URL('https://hoctap.example/api/me'), sealed, session);
    expect(https).toMatch(/; Secure$/);
  });

  it('expires the cookie at once when clearing it', () => {
    expect(serializeSessionCookie(new URL('http://localhost:3000/'), null, null)).toBe('hts_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });
});
