import { generateKeyPairSync } from 'node:crypto';
import { courses, credentials, evidenceChain } from '@hts/db';
import { credentialJobHandlers, signCompactJws, signingKeyFromPrivate, startWorkerLoop, verifyChain } from '@hts/domain';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCourseThroughApi } from '../testing/complete-course.ts';
import { bearer, createTestApp, newCitizen, signInAs, type TestApp, testCredentialSettings } from '../testing/test-app.ts';

let t: TestApp;
let admin: string;
let trainer: string;
let learner: { token: string; id: string };
let credential: { id: string; jwt: string; json: Record<string, unknown> };
const SLUG = 'phong-tranh-lua-dao-truc-tuyen';
const quiet = { info: () => {}, error: () => {} };

/** Runs the queued course.completed jobs through the worker loop, as the in-process worker would. */
async function runCredentialJobs(): Promise<void> {
  const worker = startWorkerLoop({ db: t.db, handlers: credentialJobHandlers(testCredentialSettings), log: quiet, pollMs: 20 });
  while (await worker.runOnce()) {}
  await worker.stop();
}

async function register(): Promise<{ token: string; id: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: newCitizen() });
  expect(res.statusCode, res.body).toBe(201);
  const token = res.json().accessToken as string;
  return { token, id: (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).json().id };
}

const verify = (credentialValue: unknown) => t.app.inject({ method: 'POST', url: '/api/credentials/verify', payload: { credential: credentialValue } });
const revoke = (id: string, token: string, reason = 'Cấp nhầm người') =>
  t.app.inject({ method: 'POST', url: `/api/credentials/${id}/revocation`, headers: bearer(token), payload: { reason } });

beforeAll(async () => {
  t = await createTestApp();
  admin = (await signInAs(t.app, 'admin@demo.local')).accessToken;
  trainer = (await signInAs(t.app, 'trainer@demo.local')).accessToken;
  const trainerId = (await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(trainer) })).json().id;
  const [course] = await t.db.select({ id: courses.id }).from(courses).where(eq(courses.slug, SLUG));
  const owned = await t.app.inject({ method: 'PUT', url: `/api/admin/courses/${course?.id}/owner`, headers: bearer(admin), payload: { ownerId: trainerId } });
  expect(owned.statusCode, owned.body).toBe(200);
  learner = await register();
  await completeCourseThroughApi(t.app, t.db, learner.token, SLUG);
  await runCredentialJobs();
  const mine = await t.app.inject({ method: 'GET', url: '/api/me/credentials', headers: bearer(learner.token) });
  const id = mine.json().credentials[0].id as string;
  const jwt = await t.app.inject({ method: 'GET', url: `/api/credentials/${id}/jwt` });
  const json = await t.app.inject({ method: 'GET', url: `/api/credentials/${id}` });
  credential = { id, jwt: jwt.body, json: json.json() };
}, 120_000);
afterAll(async () => t?.close());

describe('a certificate for a completed course', () => {
  it('is issued by the completion job, listed on the learner’s profile, and fetched by anyone as JSON and JWT', async () => {
    const mine = (await t.app.inject({ method: 'GET', url: '/api/me/credentials', headers: bearer(learner.token) })).json();
    expect(mine.credentials).toHaveLength(1);
    expect(mine.credentials[0]).toMatchObject({ courseSlug: SLUG, revokedAt: null, verifyUrl: `http://localhost:3000/verify/${credential.id}` });
    expect(mine.credentials[0].competences.length).toBeGreaterThan(0);
    const jwt = await t.app.inject({ method: 'GET', url: `/api/credentials/${credential.id}/jwt` });
    expect(jwt.headers['content-type']).toBe('application/vc+jwt');
    expect(credential.jwt.split('.')).toHaveLength(3);
    expect(credential.json).toMatchObject({
      id: `http://localhost:3000/api/credentials/${credential.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
    });
    const summary = await t.app.inject({ method: 'GET', url: `/api/credentials/${credential.id}/summary` });
    expect(summary.json()).toMatchObject({ id: credential.id, holderName: 'Nguyễn Thị Lan' });
    expect(summary.body).not.toContain('@example.vn');
  });

  it('is issued once: running the jobs again, or re-queueing the completion, changes nothing', async () => {
    const before = await t.db.select().from(credentials).where(eq(credentials.userId, learner.id));
    await runCredentialJobs();
    await credentialJobHandlers(testCredentialSettings)['course.completed']?.({ payload: { completionId: before[0]?.completionId } } as never, {
      db: t.db,
      progress: async () => {},
    });
    expect(await t.db.select().from(credentials).where(eq(credentials.userId, learner.id))).toEqual(before);
    const entries = await t.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.kind, 'credential.issued'), eq(evidenceChain.subjectId, credential.id)));
    expect(entries).toHaveLength(1);
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('publishes the issuer profile with the signing key as a JWK', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/credentials/issuer' });
    expect(res.statusCode).toBe(200);
    expect(res.json().publicKeys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: testCredentialSettings.signingKey.publicJwk.x, alg: 'EdDSA' });
  });

  it('404s an unknown id and 400s an id that is not one', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/credentials/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().details[0].field).toBe('/params/id');
    expect((await t.app.inject({ method: 'GET', url: '/api/credentials/00000000-0000-4000-8000-000000000000/jwt' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/credentials/khong-phai-ma' })).statusCode).toBe(400);
  });
});

describe('verifying without an account', () => {
  it('says every check passed for the JWT and for the downloaded JSON', async () => {
    for (const input of [credential.jwt, credential.json]) {
      const res = await verify(input);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.valid).toBe(true);
      expect(body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      expect(body.summary.id).toBe(credential.id);
    }
  });

  it('answers 422 naming the failed check for garbage, a tampered payload, a wrong signature and an unknown key, never 500', async () => {
    const [h, p, s] = credential.jwt.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: 'Tiến sĩ' })).toString('base64url')}.${s}`;
    const wrongSig = `${h}.${p}.${Buffer.alloc(64, 1).toString('base64url')}`;
    const stranger = signingKeyFromPrivate(generateKeyPairSync('ed25519').privateKey);
    const unknownKey = signCompactJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: `http://localhost:3000/api/credentials/issuer#${stranger.kid}` },
      payload,
      stranger.privateKey,
    );
    const cases: Array<[unknown, string]> = [
      ['rác rưởi', 'format'],
      [{ hello: 'world' }, 'issuer'],
      [tampered, 'signature'],
      [wrongSig, 'signature'],
      [unknownKey, 'issuer'],
    ];
    for (const [input, check] of cases) {
      const res = await verify(input);
      expect(res.statusCode, `${check}: ${res.body}`).toBe(422);
      const failed = res.json().checks.find((c: { ok: boolean }) => !c.ok);
      expect(failed.check).toBe(check);
      expect(failed.messageVi.length).toBeGreaterThan(0);
      expect(failed.messageEn.length).toBeGreaterThan(0);
      expect(res.json().summary).toBeNull();
    }
  });

  it('answers 400 naming the field when the body has no credential', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/credentials/verify', payload: { jwt: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.some((d: { field: string }) => d.field.startsWith('/body'))).toBe(true);
  });
});

describe('revoking', () => {
  it('forbids another citizen (403) and 404s an unknown credential', async () => {
    const other = await register();
    const res = await revoke(credential.id, other.token);
    expect(res.statusCode).toBe(403);
    expect((await revoke('00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(404);
    expect((await revoke(credential.id, trainer, '')).statusCode).toBe(400);
  });

  it('lets the course’s trainer revoke; verify then says revoked with the date; a second revoke is 409', async () => {
    const res = await revoke(credential.id, trainer, 'Bài kiểm tra do người khác làm hộ');
    expect(res.statusCode, res.body).toBe(200);
    const revokedAt = res.json().revokedAt as string;
    const checked = await verify(credential.jwt);
    expect(checked.statusCode).toBe(422);
    expect(checked.json().revokedAt).toBe(revokedAt);
    const status = checked.json().checks.find((c: { check: string }) => c.check === 'status');
    expect(status.ok).toBe(false);
    expect(status.messageEn).toContain(revokedAt.slice(0, 10));
    expect(checked.json().summary.revokedAt).toBe(revokedAt);
    expect((await revoke(credential.id, admin)).statusCode).toBe(409);
    const entries = await t.db
      .select()
      .from(evidenceChain)
      .where(and(eq(evidenceChain.kind, 'credential.revoked'), eq(evidenceChain.subjectId, credential.id)));
    expect(entries).toHaveLength(1);
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('shows on the officer’s drill-down to the person, revoked with its date', async () => {
    const officer = (await signInAs(t.app, 'officer@demo.local')).accessToken;
    const res = await t.app.inject({ method: 'GET', url: `/api/indicators/evidence/account/${learner.id}`, headers: bearer(officer) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().credentials).toEqual([{ id: credential.id, course: expect.any(String), issuedAt: expect.any(String), revokedAt: expect.any(String) }]);
  });
});
