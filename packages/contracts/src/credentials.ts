import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';
import { ErrorBody } from './errors.ts';

const err = ErrorBody;
const edge = { 400: err, 429: err, 500: err } as const;
const authed = { ...edge, 401: err, 403: err } as const;

export const CredentialIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type CredentialIdParams = Static<typeof CredentialIdParams>;

export const OpenBadgeCredential = Type.Unknown({
  description: 'an OpenBadgeCredential (Open Badges 3.0, W3C VC Data Model 2.0) exactly as signed',
});
export const IssuerProfile = Type.Unknown({ description: 'the issuer profile (OB 3.0 Profile) with its Ed25519 public keys as JWKs' });
export const CompactJwt = Type.String({ description: 'the credential secured as a compact JWS (application/vc+jwt, EdDSA)' });

export const CredentialSummary = Type.Object({
  id: Uuid,
  courseId: Uuid,
  courseSlug: Type.String(),
  courseTitle: Type.String(),
  holderName: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  competences: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  verifyUrl: Type.String({ description: 'the public page that verifies it' }),
});
export type CredentialSummary = Static<typeof CredentialSummary>;

export const CredentialList = Type.Object({ credentials: Type.Array(CredentialSummary) });
export type CredentialList = Static<typeof CredentialList>;

export const VerifyCredentialBody = Type.Object(
  {
    credential: Type.Union([Type.String({ maxLength: 100_000 }), Type.Object({}, { additionalProperties: true })], {
      description: 'the compact JWS, an EnvelopedVerifiableCredential, or the credential JSON as downloaded',
    }),
  },
  { additionalProperties: false },
);
export type VerifyCredentialBody = Static<typeof VerifyCredentialBody>;

export const VerificationCheck = Type.Object({
  check: Type.Union([Type.Literal('format'), Type.Literal('signature'), Type.Literal('issuer'), Type.Literal('status'), Type.Literal('validity')]),
  ok: Type.Boolean(),
  messageVi: Type.String(),
  messageEn: Type.String(),
});

export const VerificationReport = Type.Object(
  {
    valid: Type.Boolean(),
    checks: Type.Array(VerificationCheck),
    credentialId: Type.Union([Uuid, Type.Null()]),
    issuedAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
    summary: Type.Union([CredentialSummary, Type.Null()], { description: 'what the credential says, when it is one of ours' }),
    code: Type.Optional(Type.Literal('credential_invalid', { description: 'on 422 only, so the answer also reads as an error' })),
    message: Type.Optional(Type.String()),
  },
  { description: 'each check made, in order, with why it failed (Vietnamese, then English)' },
);
export type VerificationReport = Static<typeof VerificationReport>;

export const RevokeBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
export type RevokeBody = Static<typeof RevokeBody>;
export const RevokeResult = Type.Object({ id: Uuid, revokedAt: Type.String({ format: 'date-time' }) });
export type RevokeResult = Static<typeof RevokeResult>;

const tags = ['credentials'];

export const credentialRoutes = {
  credentialIssuer: {
    method: 'GET',
    path: '/api/credentials/issuer',
    summary: 'The issuer profile and its public keys (JWK): what anyone needs to check a signature offline',
    tags,
    access: 'public',
    response: { 200: IssuerProfile, ...edge },
  },
  credentialDocument: {
    method: 'GET',
    path: '/api/credentials/:id',
    summary: 'A credential as JSON (what its id points to), for anyone with the link',
    tags,
    access: 'public',
    params: CredentialIdParams,
    response: { 200: OpenBadgeCredential, 404: err, ...edge },
  },
  credentialJwt: {
    method: 'GET',
    path: '/api/credentials/:id/jwt',
    summary: 'A credential as its signed compact JWS (application/vc+jwt), for download',
    tags,
    access: 'public',
    params: CredentialIdParams,
    response: { 200: CompactJwt, 404: err, ...edge },
  },
  credentialSummary: {
    method: 'GET',
    path: '/api/credentials/:id/summary',
    summary: 'What a credential says and whether it is revoked: the public verify page reads this',
    tags,
    access: 'public',
    params: CredentialIdParams,
    response: { 200: CredentialSummary, 404: err, ...edge },
  },
  verifyCredential: {
    method: 'POST',
    path: '/api/credentials/verify',
    summary: 'Verify a pasted or uploaded credential: format, issuer, signature, revocation, validity; 422 says which failed',
    tags,
    access: 'public',
    body: VerifyCredentialBody,
    response: { 200: VerificationReport, 422: VerificationReport, 415: err, ...edge },
  },
  revokeCredential: {
    method: 'POST',
    path: '/api/credentials/:id/revocation',
    summary: "Revoke a credential with a reason (an admin, or the course's trainer); a second revoke is 409",
    tags,
    access: ['admin', 'trainer'],
    params: CredentialIdParams,
    body: RevokeBody,
    response: { 200: RevokeResult, 404: err, 409: err, 415: err, ...authed },
  },
  myCredentials: {
    method: 'GET',
    path: '/api/me/credentials',
    summary: 'Your certificates, newest first, with their share links',
    tags,
    access: 'user',
    response: { 200: CredentialList, ...authed },
  },
} as const;
