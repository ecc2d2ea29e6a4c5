import { createHash, createPrivateKey } from 'node:crypto';
import { type CredentialSettings, signingKeyFromPrivate } from '@hts/domain';
import { EVIDENCE_BASE_IRI } from './steps/evidence.ts';

// PKCS#8 DER of an Ed25519 private key is this fixed prefix and the 32-byte seed (RFC 8410): the only way
// node:crypto takes a key made from chosen bytes rather than drawn from its own randomness.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The issuer name the API and worker use when CREDENTIAL_ISSUER_NAME is unset. */
export const BENCH_ISSUER_NAME = 'Học tập số — tỉnh Bắc Ninh';

/**
 * The synthetic province's issuer: one Ed25519 key derived from the seed (the same seed signs the same
 * bytes), at the platform address the evidence statements use. Never a real key: anyone can derive it.
 */
export function benchCredentialSettings(seed: number): CredentialSettings {
  const keySeed = createHash('sha256').update(`hts-bench-${seed}-credential-signing-key`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, keySeed]), format: 'der', type: 'pkcs8' });
  return { signingKey: signingKeyFromPrivate(privateKey), publicUrl: EVIDENCE_BASE_IRI, issuerName: BENCH_ISSUER_NAME };
}

/** The key as CREDENTIAL_SIGNING_KEY takes it, for an API started on a generated province. */
export function benchSigningKeyPem(seed: number): string {
  return benchCredentialSettings(seed).signingKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
