import { credentialIssuerKeys, credentialRevocations, credentials, type Db } from '@hts/db';
import { eq } from 'drizzle-orm';
import { canonicalJson } from '../evidence/canonical-json.ts';
import { type Clock, systemClock } from '../shared/deps.ts';
import { type CredentialSettings, issuerId } from './credential-settings.ts';
import { type ParsedJws, parseCompactJws, verifyJwsSignature } from './jws.ts';
import { publicKeyFromJwk } from './signing-key.ts';

export type VerificationCheckName = 'format' | 'signature' | 'issuer' | 'status' | 'validity';

export interface VerificationCheck {
  check: VerificationCheckName;
  ok: boolean;
  messageVi: string;
  messageEn: string;
}

export interface VerificationReport {
  valid: boolean;
  checks: VerificationCheck[];
  credentialId: string | null;
  issuedAt: string | null;
  revokedAt: string | null;
  credential: Record<string, unknown> | null;
}

const ENVELOPED_PREFIX = 'data:application/vc+jwt,';

/**
 * What a person may paste: the compact JWS (`vc+jwt`); a VC 2.0 EnvelopedVerifiableCredential carrying
 * it; or the credential JSON as downloaded, which is checked by being exactly what this platform signed.
 */
export type VerifyInput = string | Record<string, unknown>;

function pass(check: VerificationCheckName, messageVi: string, messageEn: string): VerificationCheck {
  return { check, ok: true, messageVi, messageEn };
}
function fail(check: VerificationCheckName, messageVi: string, messageEn: string): VerificationCheck {
  return { check, ok: false, messageVi, messageEn };
}

function report(checks: VerificationCheck[], extra: Partial<VerificationReport> = {}): VerificationReport {
  return { valid: checks.every((c) => c.ok), checks, credentialId: null, issuedAt: null, revokedAt: null, credential: null, ...extra };
}

const BAD_FORMAT = fail(
  'format',
  'Đây không phải là một chứng chỉ: hãy dán chuỗi JWT (ba phần cách nhau bởi dấu chấm) hoặc tệp JSON đã tải về.',
  'This is not a credential: paste the JWT (three parts separated by dots) or the downloaded JSON file.',
);

const UUID_TAIL = /\/api\/credentials\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Checks a credential as a stranger would hand it over: never throws on bad input, says what failed. */
export async function verifyCredential(db: Db, settings: CredentialSettings, input: VerifyInput, clock: Clock = systemClock): Promise<VerificationReport> {
  let value: VerifyInput = input;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      value = JSON.parse(value) as Record<string, unknown>;
    } catch {
      return report([BAD_FORMAT]);
    }
  }
  let token: string | null = null;
  let pastedJson: Record<string, unknown> | null = null;
  if (typeof value === 'string') token = value.trim();
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const id = value.id;
    if (value.type === 'EnvelopedVerifiableCredential' && typeof id === 'string' && id.startsWith(ENVELOPED_PREFIX)) token = id.slice(ENVELOPED_PREFIX.length);
    else pastedJson = value;
  }

  if (pastedJson) {
    // Unsecured JSON carries no signature of its own: it verifies only as the exact document we signed.
    const id = typeof pastedJson.id === 'string' ? UUID_TAIL.exec(pastedJson.id)?.[1] : undefined;
    const [stored] = id ? await db.select({ jwt: credentials.jwt, credential: credentials.credential }).from(credentials).where(eq(credentials.id, id)) : [];
    if (!stored)
      return report([
        fail(
          'issuer',
          'Không tìm thấy chứng chỉ này trong hệ thống: nó không do nền tảng này cấp, hoặc mã của nó đã bị sửa.',
          'This credential is not on record: it was not issued by this platform, or its id was changed.',
        ),
      ]);
    if (canonicalJson(stored.credential) !== canonicalJson(pastedJson))
      return report([
        fail(
          'signature',
          'Nội dung khác với chứng chỉ đã ký: tệp đã bị sửa.',
          'The content differs from the credential that was signed: the file was altered.',
        ),
      ]);
    token = stored.jwt;
  }

  const jws = token ? parseCompactJws(token) : null;
  if (!jws) return report([BAD_FORMAT]);
  return verifyParsed(db, settings, jws, clock);
}

async function verifyParsed(db: Db, settings: CredentialSettings, jws: ParsedJws, clock: Clock): Promise<VerificationReport> {
  const checks: VerificationCheck[] = [];
  const { header, payload } = jws;
  const types = payload.type;
  if (header.alg !== 'EdDSA' || !Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential')) {
    checks.push(
      fail('format', 'Chuỗi đã dán không phải chứng chỉ Open Badges ký bằng EdDSA.', 'The pasted token is not an Open Badges credential signed with EdDSA.'),
    );
    return report(checks);
  }
  checks.push(pass('format', 'Đúng định dạng chứng chỉ Open Badges 3.0 (JWT).', 'A well-formed Open Badges 3.0 credential (JWT).'));

  const credentialId = typeof payload.id === 'string' ? (UUID_TAIL.exec(payload.id)?.[1] ?? null) : null;
  const issuer = payload.issuer;
  const claimedIssuer = typeof issuer === 'string' ? issuer : typeof issuer === 'object' && issuer !== null ? (issuer as { id?: unknown }).id : undefined;
  const kidRef = typeof header.kid === 'string' ? header.kid : '';
  const ourIssuer = issuerId(settings);
  const kid = kidRef.startsWith(`${ourIssuer}#`) ? kidRef.slice(ourIssuer.length + 1) : null;
  const [key] = kid ? await db.select().from(credentialIssuerKeys).where(eq(credentialIssuerKeys.kid, kid)) : [];
  if (claimedIssuer !== ourIssuer || !key) {
    checks.push(
      fail(
        'issuer',
        claimedIssuer !== ourIssuer ? 'Chứng chỉ không do nền tảng này cấp (đơn vị cấp khác).' : 'Khóa ký của chứng chỉ không phải khóa của nền tảng này.',
        claimedIssuer !== ourIssuer
          ? 'The credential was not issued by this platform (another issuer).'
          : "The credential's signing key is not one of this platform's keys.",
      ),
    );
    return report(checks, { credentialId });
  }
  checks.push(pass('issuer', 'Do nền tảng này cấp, bằng một khóa đã công bố.', 'Issued by this platform, with a published key.'));

  if (!verifyJwsSignature(jws, publicKeyFromJwk(key.publicJwk))) {
    checks.push(fail('signature', 'Chữ ký không khớp: nội dung đã bị sửa sau khi ký.', 'The signature does not match: the content was changed after signing.'));
    return report(checks, { credentialId });
  }
  checks.push(pass('signature', 'Chữ ký số hợp lệ: nội dung không bị sửa.', 'The digital signature is valid: the content is unchanged.'));

  const [stored] = credentialId
    ? await db
        .select({ issuedAt: credentials.issuedAt, revokedAt: credentialRevocations.revokedAt })
        .from(credentials)
        .leftJoin(credentialRevocations, eq(credentialRevocations.credentialId, credentials.id))
        .where(eq(credentials.id, credentialId))
    : [];
  const issuedAt = stored?.issuedAt.toISOString() ?? (typeof payload.validFrom === 'string' ? payload.validFrom : null);
  const revokedAt = stored?.revokedAt?.toISOString() ?? null;
  if (!stored) checks.push(fail('status', 'Chứng chỉ không có trong sổ của nền tảng.', "The credential is not in the platform's register."));
  else if (revokedAt) {
    const day = revokedAt.slice(0, 10);
    checks.push(fail('status', `Chứng chỉ đã bị thu hồi ngày ${day.split('-').reverse().join('/')}.`, `The credential was revoked on ${day}.`));
  } else checks.push(pass('status', 'Chưa bị thu hồi.', 'Not revoked.'));

  const now = clock.now().getTime();
  const from = typeof payload.validFrom === 'string' ? Date.parse(payload.validFrom) : Number.NaN;
  const until = typeof payload.validUntil === 'string' ? Date.parse(payload.validUntil) : null;
  if (Number.isNaN(from) || from > now) checks.push(fail('validity', 'Chứng chỉ chưa có hiệu lực.', 'The credential is not valid yet.'));
  else if (until !== null && (Number.isNaN(until) || until < now)) checks.push(fail('validity', 'Chứng chỉ đã hết hạn.', 'The credential has expired.'));
  else
    checks.push(
      pass(
        'validity',
        until === null ? 'Có hiệu lực, không có hạn dùng.' : 'Còn hiệu lực.',
        until === null ? 'Valid, with no expiry.' : 'Within its validity period.',
      ),
    );

  return report(checks, { credentialId, issuedAt, revokedAt, credential: payload });
}
