import { describe, expect, it, vi } from 'vitest';
import {
  buildProxyRequestHeaders,
  buildProxyResponseHeaders,
  isFormSubmission,
  isProxyPath,
  isSameOriginRequest,
  isStreamedUpload,
  proxyToApi,
  siteOrigins,
} from './proxy.ts';

const incoming = (init: Record<string, string>) => new Headers(init);

describe('which paths go to the API', () => {
  it('proxies /api/*, /health, /openapi.json and /docs*', () => {
    for (const path of ['/api/me', '/api/auth/login', '/api', '/health', '/openapi.json', '/docs', '/docs/', '/docs/static/index.html']) {
      expect(isProxyPath(path), path).toBe(true);
    }
  });

  it('keeps the pages of the site here', () => {
    for (const path of ['/', '/login', '/apis', '/api-guide', '/healthy', '/documents', '/openapi.json.bak', '/profile']) {
      expect(isProxyPath(path), path).toBe(false);
    }
  });
});

describe('same-origin detection', () => {
  const url = new URL('http://localhost:3000/api/me');

  it('knows the configured origin and the one of the Host the browser used', () => {
    expect(siteOrigins(url, incoming({ host: '127.0.0.1:3000' }))).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(siteOrigins(url, incoming({ host: 'localhost:3000' }))).toEqual(['http://localhost:3000']);
  });

  it('ignores a Host header that is not a host', () => {
    expect(siteOrigins(url, incoming({ host: 'evil.example/x?' }))).toEqual(['http://localhost:3000']);
  });

  it('trusts Sec-Fetch-Site: same-origin and an Origin equal to the site', () => {
    const origins = ['http://localhost:3000', 'http://127.0.0.1:3000'];
    expect(isSameOriginRequest(incoming({ 'sec-fetch-site': 'same-origin' }), origins)).toBe(true);
    expect(isSameOriginRequest(incoming({ origin: 'http://127.0.0.1:3000' }), origins)).toBe(true);
  });

  it('does not trust other sites, opaque origins or requests that say nothing', () => {
    const origins = ['http://localhost:3000'];
    expect(isSameOriginRequest(incoming({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), origins)).toBe(false);
    expect(isSameOriginRequest(incoming({ 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost:3000' }), origins)).toBe(false);
    expect(isSameOriginRequest(incoming({ origin: 'null' }), origins)).toBe(false);
    expect(isSameOriginRequest(incoming({}), origins)).toBe(false);
  });

  it('treats form-encoded writes as form submissions, JSON and reads not', () => {
    const req = (method: string, type?: string) =>
      new Request('http://localhost/x', { method, headers: type ? { 'content-type': type } : {}, body: method === 'GET' ? undefined : 'a=1' });
    expect(isFormSubmission(req('POST', 'application/x-www-form-urlencoded'))).toBe(true);
    expect(isFormSubmission(req('POST', 'multipart/form-data; boundary=x'))).toBe(true);
    expect(isFormSubmission(req('DELETE', 'text/plain;charset=UTF-8'))).toBe(true);
    expect(isFormSubmission(req('POST', 'application/json'))).toBe(false);
    expect(isFormSubmission(req('GET'))).toBe(false);
  });
});

describe('proxy request headers', () => {
  it('passes the relevant headers and nothing else (no cookies)', () => {
    const headers = buildProxyRequestHeaders({
      incoming: incoming({
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': 'k-1',
        'user-agent': 'Mozilla/5.0 (Linux; Android 10)',
        cookie: 'hts_session=v1.secret; lang=vi',
        host: 'localhost:3000',
        connection: 'keep-alive',
        'x-custom': 'no',
      }),
      clientAddress: '203.0.113.7',
      accessToken: null,
      sameOrigin: true,
    });
    expect(Object.fromEntries(headers)).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-encoding': 'identity',
      'idempotency-key': 'k-1',
      'user-agent': 'Mozilla/5.0 (Linux; Android 10)',
      'x-forwarded-for': '203.0.113.7',
    });
  });

  it('sets X-Forwarded-For to the client address, replacing what the browser claimed', () => {
    const headers = buildProxyRequestHeaders({
      incoming: incoming({ 'x-forwarded-for': '10.0.0.1, 1.2.3.4' }),
      clientAddress: '198.51.100.2',
      accessToken: null,
      sameOrigin: false,
    });
    expect(headers.get('x-forwarded-for')).toBe('198.51.100.2');
  });

  it('injects the session token for a same-origin request without Authorization', () => {
    const headers = buildProxyRequestHeaders({ incoming: incoming({}), clientAddress: '::1', accessToken: 'tok', sameOrigin: true });
    expect(headers.get('authorization')).toBe('Bearer tok');
  });

  it('never injects the session token into a cross-site request', () => {
    const headers = buildProxyRequestHeaders({ incoming: incoming({}), clientAddress: '::1', accessToken: 'tok', sameOrigin: false });
    expect(headers.has('authorization')).toBe(false);
  });

  it("keeps the caller's own Authorization header", () => {
    const headers = buildProxyRequestHeaders({
      incoming: incoming({ authorization: 'Bearer own' }),
      clientAddress: '::1',
      accessToken: 'tok',
      sameOrigin: true,
    });
    expect(headers.get('authorization')).toBe('Bearer own');
  });
});

describe('proxy response headers', () => {
  it('drops hop-by-hop headers and those named in Connection', () => {
    const upstream = new Headers({
      'content-type': 'application/json',
      'retry-after': '120',
      connection: 'keep-alive, x-hop',
      'keep-alive': 'timeout=5',
      'x-hop': '1',
      'transfer-encoding': 'chunked',
      'x-request-id': 'r1',
    });
    expect(Object.fromEntries(buildProxyResponseHeaders(upstream, 'http://127.0.0.1:3001'))).toEqual({
      'content-type': 'application/json',
      'retry-after': '120',
      'x-request-id': 'r1',
    });
  });

  it('drops the encoding and length of a body fetch has already decoded', () => {
    const upstream = new Headers({ 'content-encoding': 'gzip', 'content-length': '10', 'content-type': 'text/plain' });
    const out = buildProxyResponseHeaders(upstream, 'http://127.0.0.1:3001');
    expect(out.has('content-encoding')).toBe(false);
    expect(out.has('content-length')).toBe(false);
  });

  it('turns an absolute redirect to the API into a local path and keeps every Set-Cookie', () => {
    const upstream = new Headers();
    upstream.set('location', 'http://127.0.0.1:3001/docs/static/index.html?x=1');
    upstream.append('set-cookie', 'a=1; Path=/');
    upstream.append('set-cookie', 'b=2; Path=/');
    const out = buildProxyResponseHeaders(upstream, 'http://127.0.0.1:3001');
    expect(out.get('location')).toBe('/docs/static/index.html?x=1');
    expect(out.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });
});

describe('proxying a request', () => {
  it('forwards method, path, query and body, and streams the answer back with its status', async () => {
    const fetch = vi.fn(async (_url: URL | RequestInfo, _init?: RequestInit) => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"code":"conflict",'));
          controller.enqueue(new TextEncoder().encode('"message":"x"}'));
          controller.close();
        },
      });
      return new Response(body, { status: 409, headers: { 'content-type': 'application/json', connection: 'close' } });
    });
    const request = new Request('http://localhost:3000/api/admin/users?limit=5&q=l%C3%A2n', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ fullName: 'Lân' }),
    });
    const response = await proxyToApi(request, new URL(request.url), {
      apiUrl: 'http://127.0.0.1:3001',
      clientAddress: '192.0.2.9',
      accessToken: 'tok',
      sameOrigin: true,
      setCookies: ['hts_session=v1.new; Path=/; HttpOnly'],
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    const [target, init] = fetch.mock.calls[0] ?? [];
    expect(String(target)).toBe('http://127.0.0.1:3001/api/admin/users?limit=5&q=l%C3%A2n');
    expect(init?.method).toBe('POST');
    expect(init?.redirect).toBe('manual');
    expect(new TextDecoder().decode(init?.body as ArrayBuffer)).toBe('{"fullName":"Lân"}');
    const sent = init?.headers as Headers;
    expect(sent.get('authorization')).toBe('Bearer tok');
    expect(sent.get('x-forwarded-for')).toBe('192.0.2.9');
    expect(response.status).toBe(409);
    expect(response.headers.has('connection')).toBe(false);
    expect(response.headers.getSetCookie()).toEqual(['hts_session=v1.new; Path=/; HttpOnly']);
    expect(await response.json()).toEqual({ code: 'conflict', message: 'x' });
  });

  it('answers 502 with an error body when the API cannot be reached', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = new Request('http://localhost:3000/health');
    const response = await proxyToApi(request, new URL(request.url), {
      apiUrl: 'http://127.0.0.1:3001',
      clientAddress: '::1',
      accessToken: null,
      sameOrigin: false,
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof globalThis.fetch,
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'unavailable' });
  });

  it('sends no body for GET and returns none for 204', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const request = new Request('http://localhost:3000/api/auth/logout');
    const response = await proxyToApi(request, new URL(request.url), {
      apiUrl: 'http://127.0.0.1:3001/',
      clientAddress: '::1',
      accessToken: null,
      sameOrigin: false,
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    expect((fetch.mock.calls[0] as unknown[])[1]).toMatchObject({ body: undefined });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});

describe('media through the proxy', () => {
  it('proxies the local object folder’s signed URLs', () => {
    expect(isProxyPath('/objects/media/a/hls-1/360p/seg_0000.ts')).toBe(true);
    expect(isProxyPath('/objectsx')).toBe(false);
  });

  it('streams a course package upload', () => {
    expect(isStreamedUpload('POST', '/api/trainer/courses/import')).toBe(true);
    expect(isStreamedUpload('GET', '/api/trainer/courses/import')).toBe(false);
  });

  it('streams upload parts only, not other bodies', () => {
    expect(isStreamedUpload('PUT', '/api/media/uploads/0b9f7a43-2c1e-4c53-9d0e-8a4c1b2a3f10/parts/3')).toBe(true);
    expect(isStreamedUpload('POST', '/api/media/uploads/0b9f7a43-2c1e-4c53-9d0e-8a4c1b2a3f10/parts/3')).toBe(false);
    expect(isStreamedUpload('PUT', '/api/admin/users/0b9f7a43-2c1e-4c53-9d0e-8a4c1b2a3f10/roles')).toBe(false);
    expect(isStreamedUpload('PUT', '/api/me/assessment-attachments')).toBe(true);
    expect(isStreamedUpload('PUT', '/api/me/assessment-attachments/x')).toBe(false);
    expect(isStreamedUpload('POST', '/api/registry/imports')).toBe(true);
    expect(isStreamedUpload('POST', '/api/registry/imports/0b9f7a43-2c1e-4c53-9d0e-8a4c1b2a3f10/apply')).toBe(false);
  });

  it('hands an upload part to the API as a stream, never reading it whole', async () => {
    const seen: RequestInit[] = [];
    const fakeFetch = (async (_url: URL, init: RequestInit) => {
      seen.push(init);
      return new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });
    const url = new URL('http://site/api/media/uploads/0b9f7a43-2c1e-4c53-9d0e-8a4c1b2a3f10/parts/1');
    const request = new Request(url, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    await proxyToApi(request, url, { apiUrl: 'http://api', clientAddress: '1.2.3.4', accessToken: null, sameOrigin: true, fetch: fakeFetch });
    expect(seen[0]?.body).toBeInstanceOf(ReadableStream);
    expect((seen[0] as { duplex?: string }).duplex).toBe('half');
  });
});
