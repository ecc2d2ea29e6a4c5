import { StorageError } from '@hts/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

describe('health', () => {
  it('reports ok when the database and the object store answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true }, objectStore: { ok: true } } });
  });

  it('answers 503 naming the object store when it is down', async () => {
    const original = t.objectStore.health.bind(t.objectStore);
    t.objectStore.health = async () => {
      throw new StorageError('unavailable', 'object store unreachable');
    };
    try {
      const res = await t.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, objectStore: { ok: false } } });
    } finally {
      t.objectStore.health = original;
    }
  });
});

describe('API description', () => {
  it('publishes an OpenAPI document with every contract route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/health',
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/me',
      '/api/admin/users/{id}/roles',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/auth/login'].post.responses).toHaveProperty('401');
  });

  it('serves a docs page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('edge behaviour', () => {
  it('answers an unknown route with 404 JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/does-not-exist?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: 'no route GET /api/does-not-exist' });
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('sends the same full set of security headers with answers, errors, 404s and the docs files', async () => {
    // What @fastify/helmet sent with the API's directives, header for header (now computed once at start).
    const expected = {
      'content-security-policy':
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
        "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    const answers = [
      ['/api/courses?limit=2', 200],
      ['/api/courses?limit=abc', 400],
      ['/api/me', 401],
      ['/api/does-not-exist', 404],
      ['/docs/', 200],
      ['/docs/static/index.css', 200],
    ] as const;
    for (const [url, status] of answers) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers, url).toMatchObject(expected);
    }
  });

  it('never answers 500 to garbage sent at the auth routes', async () => {
    const bodies: Array<string | object> = [
      'null',
      '[]',
      '"text"',
      '123',
      '{"login": {"$ne": null}, "password": []}',
      { login: 'a'.repeat(5000), password: 'x' },
      { refreshToken: null },
      '\u0000',
      '{"fullName": "\ud800"}',
    ];
    for (const url of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
      for (const payload of bodies) {
        const res = await t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, `${url} ${JSON.stringify(payload)} → ${res.body}`).toBeLessThan(500);
        // A JSON null sign-out body is read as "no body": signing out with the access token alone is allowed.
        if (res.statusCode !== 204) expect(res.json()).toHaveProperty('code');
      }
    }
  });

  it('lists the communes of the province sorted by Vietnamese name', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/geo/communes' });
    expect(res.statusCode).toBe(200);
    const { province, items } = res.json();
    expect(province).toEqual({ code: '24', name: 'Bắc Ninh' });
    expect(items).toHaveLength(99);
    const names = items.map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));
    expect(items.find((c: { code: string }) => c.code === '07627')).toEqual({ code: '07627', name: 'Đại Sơn', type: 'xa', typeLabel: 'xã' });
  });
});
