import { createHash, generateKeyPairSync } from 'node:crypto';
import type { CriteriaSetDef } from '@hts/contracts';
import { credentialRevocations, credentials, type Db, evidenceChain } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import { collectPlatformEvidence, prefillFromEvidence } from '../criteria/platform-evidence.ts';
import { verifyChain } from '../evidence/verify-chain.ts';
import type { CredentialSettings } from './credential-settings.ts';
import { getCredential, listUserCredentials } from './credential-view.ts';
import { seedCompletion, seedCredentialCourse, seedUser } from './fixture.ts';
import { issueCredentialForCompletion } from './issue-credential.ts';
import { signCompactJws } from './jws.ts';
import { revokeCredential } from './revoke-credential.ts';
import { generateSigningKeyPem, loadSigningKey, SigningKeyError, signingKeyFromPrivate } from './signing-key.ts';
import { verifyCredential } from './verify-credential.ts';

let db: Db;
let close: () => Promise<void>;
const settings: CredentialSettings = { signingKey: loadSigningKey(generateSigningKeyPem()), publicUrl: 'https://hoctap.example', issuerName: 'Học tập số' };
const actor = (userId: string, ...roles: Array<'admin' | 'trainer' | 'citizen'>): Actor => ({ userId, roles: new Set(roles), scopes: new Map() });

beforeAll(async () => {
  const handle = await openTestDatabase(process.env.TEST_DATABASE_URL);
  db = handle.db;
  close = handle.close;
});
afterAll(async () => close());

async function issued(tag: string, ownerId: string | null = null) {
  const course = await seedCredentialCourse(db, tag, ownerId);
  const learner = await seedUser(db, 'Nguyễn Thị Hoa');
  const completionId = await seedCompletion(db, course, learner);
  const { credentialId } = await issueCredentialForCompletion(db, settings, completionId);
  const view = await getCredential(db, settings, credentialId);
  if (!view) throw new Error('not issued');
  return { ...view, learner, completionId, course };
}

const failed = (r: Awaited<ReturnType<typeof verifyCredential>>) => r.checks.filter((c) => !c.ok).map((c) => c.check);

describe('issuing a credential for a completion', () => {
  it('signs an OB 3.0 OpenBadgeCredential as a vc+jwt with the competences as alignments and no contact details', async () => {
    const c = await issued('issue');
    const [h, p] = c.jwt.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', kid: `https://hoctap.example/api/credentials/issuer#${settings.signingKey.kid}` });
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(payload).toEqual(c.credential);
    expect(payload['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.credentialSubject.achievement.alignment.map((a: { targetCode: string }) => a.targetCode)).toEqual(['kns:0.1', 'tt02:1.1']);
    expect(c.holderName).toBe('Nguyễn Thị Hoa');
    const hashed = payload.credentialSubject.identifier.find((i: { hashed: boolean }) => i.hashed);
    expect(hashed.identityHash).toBe(
      `sha256$${createHash('sha256')
        .update(c.learner + hashed.salt)
        .digest('hex')}`,
    );
    expect(c.jwt).not.toContain('@example.test');
    expect(JSON.stringify(payload)).not.toContain('@example.test');
  });

  it('issues once per completion: a re-run returns the same credential and appends nothing', async () => {
    const c = await issued('idempotent');
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(evidenceChain);
    const again = await issueCredentialForCompletion(db, settings, c.completionId);
    expect(again).toEqual({ credentialId: c.id, issued: false });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(evidenceChain)).toEqual(before);
    expect(await db.select().from(credentials).where(eq(credentials.completionId, c.completionId))).toHaveLength(1);
  });

  it('two workers racing on one completion leave one credential and one chain entry', async () => {
    const course = await seedCredentialCourse(db, 'race');
    const completionId = await seedCompletion(db, course, await seedUser(db, 'Trần Văn Nam'));
    const results = await Promise.all([issueCredentialForCompletion(db, settings, completionId), issueCredentialForCompletion(db, settings, completionId)]);
    expect(results.filter((r) => r.issued)).toHaveLength(1);
    const rows = await db.select().from(credentials).where(eq(credentials.completionId, completionId));
    expect(rows).toHaveLength(1);
    const entries = await db
      .select()
      .from(evidenceChain)
      .where(eq(evidenceChain.subjectId, rows[0]?.id as string));
    expect(entries.map((e) => e.kind)).toEqual(['credential.issued']);
  });

  it('appends credential.issued to the hash chain, which still verifies', async () => {
    const c = await issued('chain');
    const [entry] = await db.select().from(evidenceChain).where(eq(evidenceChain.subjectId, c.id));
    expect(entry?.kind).toBe('credential.issued');
    expect(entry?.payload.jwtSha256).toBe(createHash('sha256').update(c.jwt).digest('hex'));
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('lists a person’s certificates', async () => {
    const c = await issued('list');
    const list = await listUserCredentials(db, settings, c.learner);
    expect(list.map((x) => x.id)).toEqual([c.id]);
    expect(list[0]?.verifyUrl).toBe(`https://hoctap.example/verify/${c.id}`);
  });
});

describe('verifying a credential', () => {
  it('accepts the JWT, the enveloped credential and the downloaded JSON', async () => {
    const c = await issued('verify-ok');
    for (const input of [
      c.jwt,
      { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${c.jwt}` },
      JSON.stringify(c.credential),
    ]) {
      const r = await verifyCredential(db, settings, input);
      expect(r.valid).toBe(true);
      expect(r.checks.map((x) => x.check)).toEqual(['format', 'issuer', 'signature', 'status', 'validity']);
      expect(r.credentialId).toBe(c.id);
    }
  });

  it('says the format is wrong for garbage, never throwing', async () => {
    for (const input of ['', 'hello', 'a.b.c', '{not json', '{"id": 5}', '[1,2]'] as const) {
      const r = await verifyCredential(db, settings, input);
      expect(r.valid).toBe(false);
      expect(r.checks.some((x) => !x.ok && (x.check === 'format' || x.check === 'issuer'))).toBe(true);
      expect(r.checks.every((x) => x.messageVi.length > 0 && x.messageEn.length > 0)).toBe(true);
    }
  });

  it('rejects a tampered payload and a wrong signature', async () => {
    const c = await issued('tamper');
    const [h, p, s] = c.jwt.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.name = 'Khóa học khác';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    expect(failed(await verifyCredential(db, settings, tampered))).toEqual(['signature']);
    const otherSig = `${h}.${p}.${Buffer.alloc(64, 7).toString('base64url')}`;
    expect(failed(await verifyCredential(db, settings, otherSig))).toEqual(['signature']);
    const edited = { ...c.credential, name: 'Khóa học khác' };
    expect(failed(await verifyCredential(db, settings, edited))).toEqual(['signature']);
  });

  it('rejects a credential signed with a key the platform never published, and one from another issuer', async () => {
    const c = await issued('unknown-key');
    const stranger = signingKeyFromPrivate(generateKeyPairSync('ed25519').privateKey);
    const forged = signCompactJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: `https://hoctap.example/api/credentials/issuer#${stranger.kid}` },
      c.credential,
      stranger.privateKey,
    );
    expect(failed(await verifyCredential(db, settings, forged))).toEqual(['issuer']);
    const elsewhere = signCompactJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: `https://other.example/issuer#${stranger.kid}` },
      { ...c.credential, issuer: { id: 'https://other.example/issuer' } },
      stranger.privateKey,
    );
    expect(failed(await verifyCredential(db, settings, elsewhere))).toEqual(['issuer']);
  });

  it('fails an expired credential', async () => {
    const c = await issued('expired');
    const jwt = signCompactJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: `https://hoctap.example/api/credentials/issuer#${settings.signingKey.kid}` },
      { ...c.credential, validUntil: '2020-01-01T00:00:00Z' },
      settings.signingKey.privateKey,
    );
    expect(failed(await verifyCredential(db, settings, jwt))).toEqual(['validity']);
  });
});

describe('revoking a credential', () => {
  it('lets the course’s trainer revoke with a reason: history kept, chain entry, verify says revoked with the date', async () => {
    const trainer = await seedUser(db, 'Giảng viên', ['trainer']);
    const c = await issued('revoke', trainer);
    const clock = { now: () => new Date('2026-03-04T05:06:07Z') };
    expect(await revokeCredential(db, actor(trainer, 'trainer'), c.id, 'Gian lận bài kiểm tra', clock)).toEqual({ revokedAt: '2026-03-04T05:06:07.000Z' });
    const r = await verifyCredential(db, settings, c.jwt);
    expect(r.valid).toBe(false);
    expect(r.revokedAt).toBe('2026-03-04T05:06:07.000Z');
    const status = r.checks.find((x) => x.check === 'status');
    expect(status).toMatchObject({ ok: false, messageVi: 'Chứng chỉ đã bị thu hồi ngày 04/03/2026.', messageEn: 'The credential was revoked on 2026-03-04.' });
    expect(await db.select().from(credentials).where(eq(credentials.id, c.id))).toHaveLength(1);
    const [entry] = await db.select().from(evidenceChain).where(sql`${evidenceChain.subjectId} = ${c.id} and ${evidenceChain.kind} = 'credential.revoked'`);
    expect(entry?.payload.reason).toBe('Gian lận bài kiểm tra');
  });

  it('refuses a second revoke with a conflict', async () => {
    const admin = await seedUser(db, 'Quản trị', ['admin']);
    const c = await issued('revoke-twice');
    await revokeCredential(db, actor(admin, 'admin'), c.id, 'Cấp nhầm');
    await expect(revokeCredential(db, actor(admin, 'admin'), c.id, 'Cấp nhầm')).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.select().from(credentialRevocations).where(eq(credentialRevocations.credentialId, c.id))).toHaveLength(1);
  });

  it('forbids another trainer or the learner, and 404s an unknown id', async () => {
    const owner = await seedUser(db, 'Chủ khóa', ['trainer']);
    const other = await seedUser(db, 'Giảng viên khác', ['trainer']);
    const c = await issued('revoke-forbidden', owner);
    await expect(revokeCredential(db, actor(other, 'trainer'), c.id, 'Không có quyền')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeCredential(db, actor(c.learner, 'citizen'), c.id, 'Không có quyền')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeCredential(db, actor(owner, 'trainer'), '00000000-0000-4000-8000-000000000000', 'Không có')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps credentials and revocations append-only at the database', async () => {
    const c = await issued('append-only');
    await expect(db.delete(credentials).where(eq(credentials.id, c.id))).rejects.toThrow();
  });
});

describe('certificates as criteria evidence', () => {
  it('pre-fills a criterion that takes a credential aligned to its competences, and stops once it is revoked', async () => {
    const admin = await seedUser(db, 'Quản trị', ['admin']);
    const c = await issued('criteria');
    const criterion = (id: string, competences: string[]) => ({
      id,
      title: id,
      hint: null,
      points: 10,
      assumption: false,
      note: null,
      evidence: [{ kind: 'credential' as const, competences }],
    });
    // only what prefillFromEvidence reads of a set
    const def = {
      groups: [{ code: 'g', name: 'g', criteria: [criterion('aligned', ['kns:0.1']), criterion('other', ['tt02:9.9']), criterion('foreign-language', [])] }],
    } as unknown as CriteriaSetDef;
    const prefill = prefillFromEvidence(def, await collectPlatformEvidence(db, c.learner));
    // a criterion naming no competences (a foreign language) is not met by just any course certificate
    expect([...prefill.keys()]).toEqual(['aligned']);
    expect(prefill.get('aligned')?.evidence).toEqual([{ kind: 'credential', id: c.id, label: c.courseTitle, href: `/verify/${c.id}`, at: c.issuedAt }]);
    await revokeCredential(db, actor(admin, 'admin'), c.id, 'Cấp nhầm');
    expect(prefillFromEvidence(def, await collectPlatformEvidence(db, c.learner)).size).toBe(0);
  });
});

describe('the signing key', () => {
  it('refuses a key that is not an Ed25519 PKCS#8 PEM', () => {
    expect(() => loadSigningKey('not a key')).toThrow(SigningKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadSigningKey(rsa)).toThrow(/Ed25519/);
  });
});
