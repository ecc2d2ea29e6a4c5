import { type KeyObject, sign, verify } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Compact JWS with EdDSA (Ed25519): node:crypto signs the ASCII signing input directly, no digest. */
export function signCompactJws(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const signature = sign(null, Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Splits and decodes a compact JWS; null when it is not one (the caller says why in its own words). */
export function parseCompactJws(token: string): ParsedJws | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(payload)) return null;
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return null;
  }
}

export function verifyJwsSignature(jws: ParsedJws, publicKey: KeyObject): boolean {
  // an Ed25519 signature is always 64 bytes; verify() would throw on some other lengths
  if (jws.signature.length !== 64) return false;
  return verify(null, Buffer.from(jws.signingInput), publicKey, jws.signature);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
