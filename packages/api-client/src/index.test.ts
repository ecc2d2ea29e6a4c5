import { describe, expect, it } from 'vitest';
import { ApiError, buildPath, createApiClient } from './index.ts';

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    seen.url = String(url);
    seen.init = init;
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('api client', () => {
  it('fills path parameters and encodes them', () => {
    expect(buildPath('/api/admin/users/:id/roles', { id: 'a b' })).toBe('/api/admin/users/a%20b/roles');
  });

  it('refuses to build a path with a missing parameter', () => {
    expect(() => buildPath('/api/admin/users/:id/roles', {})).toThrow(/missing path parameter "id"/);
  });

  it('sends the body as JSON with the bearer token and returns the parsed answer', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const client = createApiClient({ baseUrl: 'http://api.test/', fetch: fakeFetch(200, { ok: 1 }, seen) });
    const out = await client.call('login', { body: { login: 'a@b.vn', password: 'x' }, token: 't0k' });
    expect(out).toEqual({ ok: 1 });
    expect(seen.url).toBe('http://api.test/api/auth/login');
    expect(seen.init?.method).toBe('POST');
    const headers = seen.init?.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer t0k');
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(String(seen.init?.body))).toEqual({ login: 'a@b.vn', password: 'x' });
  });

  it('puts query parameters in the URL and skips undefined ones', async () => {
    const seen: { url?: string } = {};
    const client = createApiClient({ baseUrl: 'http://api.test', fetch: fakeFetch(200, { items: [], total: 0 }, seen) });
    await client.call('adminListUsers', { query: { q: 'Nguyễn', limit: 5, role: undefined } });
    expect(seen.url).toBe('http://api.test/api/admin/users?q=Nguy%E1%BB%85n&limit=5');
  });

  it('throws ApiError carrying the code, status and field details', async () => {
    const client = createApiClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(400, { code: 'validation_failed', message: 'bad', details: [{ field: '/body/email', message: 'must be an e-mail' }] }),
    });
    const error = await client.call('register', { body: {} as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).code).toBe('validation_failed');
    expect((error as ApiError).fieldError('email')).toBe('must be an e-mail');
  });

  it('turns a non-JSON failure into an ApiError with a generic code', async () => {
    const client = createApiClient({
      baseUrl: 'http://api.test',
      fetch: (async () => new Response('<html>bad gateway</html>', { status: 502 })) as typeof fetch,
    });
    const error = (await client.call('me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_error');
  });

  it('returns null for 204 answers', async () => {
    const client = createApiClient({ baseUrl: 'http://api.test', fetch: (async () => new Response(null, { status: 204 })) as typeof fetch });
    expect(await client.call('logout', { body: {} })).toBeNull();
  });
});
