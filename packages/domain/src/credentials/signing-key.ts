import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The issuer's Ed25519 key, loaded once: the private half signs, the public JWK is published. */
export interface CredentialSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  /** RFC 7638 thumbprint of the public JWK: stable for the key, whatever the JSON around it. */
  kid: string;
}

export class SigningKeyError extends Error {}

export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  // RFC 7638: the required members only, in lexicographic order, no whitespace.
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

export function signingKeyFromPrivate(privateKey: KeyObject): CredentialSigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`the credential signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' });
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: String(exported.x) };
  return { privateKey, publicKey, publicJwk, kid: jwkThumbprint(publicJwk) };
}

/** A PKCS#8 PEM as `openssl genpkey -algorithm ed25519` writes it. */
export function loadSigningKey(pem: string): CredentialSigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SigningKeyError(`the credential signing key is not a readable PKCS#8 PEM private key (${(error as Error).message})`);
  }
  return signingKeyFromPrivate(key);
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Rebuilds a verifying key from a published JWK (as stored in credential_issuer_keys). */
export function publicKeyFromJwk(jwk: Record<string, string>): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x ?? '' }, format: 'jwk' });
}
