import { auditLog } from '@hts/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('register', () => {
  it('creates a citizen, signs them in and shows their commune and group in Vietnamese', async () => {
    const body = newCitizen();
    const res = await post('/api/auth/register', body);
    expect(res.statusCode).toBe(201);
    const pair = res.json();
    expect(pair.tokenType).toBe('Bearer');
    expect(pair.user).toMatchObject({
      fullName: 'Nguyễn Thị Lan',
      email: body.email,
      commune: { code: '07627', name: 'Đại Sơn' },
      targetGroup: { code: 'nong-dan' },
    });
    expect(pair.user.roles).toEqual([{ role: 'citizen', scope: [] }]);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(pair.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(pair.user.id);
  });

  it('accepts a phone number instead of an e-mail and stores it as +84', async () => {
    const res = await post('/api/auth/register', newCitizen({ email: undefined, phone: '0912345670' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().user.phone).toBe('+84912345670');
  });

  it('rejects a duplicate e-mail with 409 naming the field, whatever its letter case', async () => {
    const body = newCitizen();
    expect((await post('/api/auth/register', body)).statusCode).toBe(201);
    const res = await post('/api/auth/register', { ...newCitizen(), email: body.email.toUpperCase() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ field: '/body/email' }] });
  });

  it('rejects a phone number already registered in another spelling with 409', async () => {
    expect((await post('/api/auth/register', newCitizen({ email: undefined, phone: '0987654321' }))).statusCode).toBe(201);
    const res = await post('/api/auth/register', newCitizen({ email: undefined, phone: '+84987654321' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().details[0].field).toBe('/body/phone');
  });

  it('asks for an e-mail or a phone when both are missing', async () => {
    const res = await post('/api/auth/register', newCitizen({ email: undefined }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['/body/email', '/body/phone']);
  });

  it('lists every field that breaks the schema', async () => {
    const res = await post('/api/auth/register', {
      email: 'not-an-email',
      fullName: 'A',
      birthYear: 1800,
      communeCode: '12',
      targetGroupCode: 'nong-dan',
      password: 'short',
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/email', '/body/fullName', '/body/birthYear', '/body/communeCode', '/body/password']));
  });

  it('rejects unknown fields rather than ignoring them', async () => {
    const res = await post('/api/auth/register', newCitizen({ role: 'admin' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/role');
  });

  it('answers 404 naming the field for a commune code that does not exist', async () => {
    const res = await post('/api/auth/register', newCitizen({ communeCode: '99999' }));
    expect(res.statusCode).toBe(404);
    expect(res.json().details[0].field).toBe('/body/communeCode');
  });

  it('rejects a birth year that makes the person younger than ten', async () => {
    const res = await post('/api/auth/register', newCitizen({ birthYear: new Date().getUTCFullYear() - 2 }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/body/birthYear');
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'bad_request', message: 'the body is not valid JSON' });
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses the key for another body', async () => {
    const body = newCitizen();
    const key = `register-${Date.now()}`;
    const first = await post('/api/auth/register', body, { 'idempotency-key': key });
    const again = await post('/api/auth/register', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().user.id).toBe(first.json().user.id);
    const other = await post('/api/auth/register', newCitizen(), { 'idempotency-key': key });
    expect(other.statusCode).toBe(409);
    expect(other.json().details[0].field).toBe('/headers/idempotency-key');
  });

  it('rejects an Idempotency-Key with characters outside the allowed set', async () => {
    const res = await post('/api/auth/register', newCitizen(), { 'idempotency-key': 'bad key!' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('/headers/idempotency-key');
  });
});

describe('sign in', () => {
  it('signs in with the phone number in any common spelling', async () => {
    await post('/api/auth/register', newCitizen({ email: undefined, phone: '0356789012' }));
    const res = await post('/api/auth/login', { login: '+84 356 789 012', password: 'mat-khau-123' });
    expect(res.statusCode).toBe(200);
  });

  it('gives the same 401 for a wrong password and an unknown account', async () => {
    const wrong = await post('/api/auth/login', { login: 'citizen@demo.local', password: 'wrong-password' });
    const unknown = await post('/api/auth/login', { login: 'nobody@demo.local', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('writes audit rows for failed and successful sign-ins', async () => {
    const body = newCitizen();
    const reg = await post('/api/auth/register', body);
    await post('/api/auth/login', { login: body.email, password: 'nope-nope' });
    await post('/api/auth/login', { login: body.email, password: body.password });
    const rows = await t.app.services.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectKey, `email:${body.email}`));
    expect(rows.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(rows[1]?.actorUserId).toBe(reg.json().user.id);
  });

  it('locks an account for a while after five failures, with Retry-After, even with the right password', async () => {
    const body = newCitizen();
    await post('/api/auth/register', body);
    for (let i = 0; i < 5; i++) expect((await post('/api/auth/login', { login: body.email, password: 'wrong-one' })).statusCode).toBe(401);
    const res = await post('/api/auth/login', { login: body.email, password: body.password });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('rate_limited');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('answers 400 naming the field when the password is missing', async () => {
    const res = await post('/api/auth/login', { login: 'citizen@demo.local' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: '/body/password', message: expect.any(String) }]);
  });
});

describe('sign-in rate limit per address', () => {
  it('answers 429 with Retry-After once one address sends too many sign-ins', async () => {
    const strict = await createTestApp({ config: { signInRateLimit: { perAddressPerMinute: 3, perAccountFailures: 100, perAccountWindowSeconds: 900 } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await strict.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: `x${i}@demo.local`, password: 'whatever' } });
        codes.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().code).toBe('rate_limited');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  }, 60_000);
});

describe('refresh and sign out', () => {
  it('rotates the refresh token: the new one works, the old one is spent', async () => {
    const { refreshToken } = await signInAs(t.app, 'trainer@demo.local');
    const first = await post('/api/auth/refresh', { refreshToken });
    expect(first.statusCode).toBe(200);
    expect(first.json().refreshToken).not.toBe(refreshToken);
    const second = await post('/api/auth/refresh', { refreshToken: first.json().refreshToken });
    expect(second.statusCode).toBe(200);
  });

  it('revokes the whole family when a spent refresh token is presented again, and audits it', async () => {
    const login = await signInAs(t.app, 'branch@demo.local');
    const rotated = (await post('/api/auth/refresh', { refreshToken: login.refreshToken })).json();
    const replay = await post('/api/auth/refresh', { refreshToken: login.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('token_invalid');
    // The legitimate-looking newest token dies with the family, and so does its access token.
    expect((await post('/api/auth/refresh', { refreshToken: rotated.refreshToken })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(rotated.accessToken) })).statusCode).toBe(401);
    const audits = await t.app.services.db.select().from(auditLog).where(eq(auditLog.action, 'auth.refresh_reuse'));
    expect(audits.some((a) => a.actorUserId === rotated.user.id)).toBe(true);
  });

  it('rejects an unknown refresh token with 401', async () => {
    const res = await post('/api/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect(res.statusCode).toBe(401);
  });

  it('signs out: the refresh token and the access token stop working', async () => {
    const pair = await signInAs(t.app, 'officer@demo.local');
    const out = await post('/api/auth/logout', { refreshToken: pair.refreshToken });
    expect(out.statusCode).toBe(204);
    expect((await post('/api/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(pair.accessToken) })).statusCode).toBe(401);
  });

  it('accepts a sign-out with only the access token and no body', async () => {
    const pair = await signInAs(t.app, 'citizen@demo.local');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(pair.accessToken) });
    expect(out.statusCode).toBe(204);
    expect((await post('/api/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
  });
});

describe('access tokens', () => {
  it('answers 401 without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthorized');
  });

  it('answers 401 for a forged token', async () => {
    const pair = await signInAs(t.app, 'citizen@demo.local');
    const [h, p] = pair.accessToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(forged) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('token_invalid');
  });

  it('answers 401 for a token signed with another secret', async () => {
    const other = await createTestApp({ config: { jwtSecret: 'another-secret-another-secret-another-secret' } });
    try {
      const pair = await signInAs(other.app, 'citizen@demo.local');
      expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(pair.accessToken) })).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('answers 401 for an expired token', async () => {
    const token = t.app.jwt.sign({ sub: '00000000-0000-4000-8000-000000000000', sid: '00000000-0000-4000-8000-000000000000' }, { expiresIn: -10 } as never);
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/expired/);
  });
});
