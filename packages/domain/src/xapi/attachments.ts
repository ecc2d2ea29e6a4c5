import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import type { ErrorDetail } from '@hts/contracts';
import { canonicalJson } from '../evidence/canonical-json.ts';
import { DomainError } from '../shared/errors.ts';
import type { JsonObject } from './agents.ts';
import { isPlainObject } from './formats.ts';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

export interface MultipartPart {
  headers: Record<string, string>;
  content: Buffer;
}

/** Attachment content received with statements, keyed by its SHA-2 hash. */
export interface AttachmentContent {
  sha2: string;
  contentType: string;
  content: Buffer;
}

const bad = (field: string, message: string) => new DomainError('validation_failed', message, [{ field, message }]);
const CRLF = Buffer.from('\r\n');

/** Splits a multipart/mixed body (RFC 2046) into parts with lower-cased header names. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw bad('/body', 'the multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).equals(CRLF)) pos += 2;
    const end = body.indexOf(Buffer.concat([CRLF, delimiter]), pos);
    if (end < 0) throw bad('/body', 'a multipart part is not closed by the boundary');
    const part = body.subarray(pos, end);
    const split = part.indexOf('\r\n\r\n');
    const head = split < 0 ? '' : part.subarray(0, split).toString('utf8');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, content: split < 0 ? Buffer.alloc(0) : part.subarray(split + 4) });
    pos = end + 2;
  }
}

const shaOf = (content: Buffer, hexLength: number) =>
  createHash(hexLength === 128 ? 'sha512' : hexLength === 96 ? 'sha384' : hexLength === 56 ? 'sha224' : 'sha256')
    .update(content)
    .digest('hex');

/**
 * The attachment rules of the spec for a multipart/mixed statement request: the first part is the JSON;
 * every other part carries X-Experience-API-Hash and Content-Transfer-Encoding: binary, its content
 * hashes to that value (the SHA-2 check), and matches an attachment a statement declares; every declared
 * attachment without a fileUrl has its part. Signature attachments are checked as JWS.
 */
export function checkAttachments(statements: JsonObject[], paths: string[], parts: MultipartPart[]): AttachmentContent[] {
  const received = new Map<string, AttachmentContent>();
  parts.forEach((part, i) => {
    const field = `/body/parts/${i + 1}`;
    const hash = part.headers['x-experience-api-hash']?.toLowerCase();
    if (!hash) throw bad(`${field}/headers/x-experience-api-hash`, 'each attachment part needs X-Experience-API-Hash');
    if (part.headers['content-transfer-encoding']?.toLowerCase() !== 'binary')
      throw bad(`${field}/headers/content-transfer-encoding`, 'each attachment part needs Content-Transfer-Encoding: binary');
    if (shaOf(part.content, hash.length) !== hash) throw bad(`${field}/headers/x-experience-api-hash`, 'the part does not hash to its X-Experience-API-Hash');
    received.set(hash, { sha2: hash, contentType: part.headers['content-type'] ?? 'application/octet-stream', content: part.content });
  });
  const declared = new Set<string>();
  statements.forEach((s, i) => {
    const list = Array.isArray(s.attachments) ? (s.attachments as JsonObject[]) : [];
    list.forEach((a, j) => {
      const sha2 = String(a.sha2).toLowerCase();
      const field = `${paths[i]}/attachments/${j}`;
      declared.add(sha2);
      const part = received.get(sha2);
      if (!part && a.fileUrl === undefined) throw bad(`${field}/sha2`, 'no part carries this attachment and it has no fileUrl');
      if (part && a.usageType === SIGNATURE_USAGE) checkSignature(s, part.content.toString('utf8'), `${field}`);
    });
  });
  for (const hash of received.keys()) if (!declared.has(hash)) throw bad('/body/parts', `part ${hash} matches no attachment of the statements`);
  return [...received.values()];
}

/** What a signature covers: the statement as sent, without what the LRS adds or the signature itself. */
function signedForm(statement: JsonObject, keepId: boolean): string {
  const { attachments: _a, authority: _b, stored: _c, version: _d, id, ...rest } = statement;
  return canonicalJson(keepId ? { ...rest, id } : rest);
}

const algorithms: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** A signed statement: a JWS (compact) whose payload is the statement, RS256/384/512, verified with its x5c certificate. */
export function checkSignature(statement: JsonObject, jws: string, field: string): void {
  const pieces = jws.trim().split('.');
  if (pieces.length !== 3) throw bad(field, 'the signature is not a JWS in compact serialization');
  const [h, p, sig] = pieces as [string, string, string];
  let header: JsonObject;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw bad(field, 'the signature header or payload is not JSON');
  }
  const hash = algorithms[String(header.alg)];
  if (!hash) throw bad(field, 'the signature algorithm must be RS256, RS384 or RS512');
  if (!isPlainObject(payload) || signedForm(payload, payload.id !== undefined) !== signedForm(statement, payload.id !== undefined))
    throw bad(field, 'the signed payload differs from the statement');
  const details: ErrorDetail[] = [];
  if (Array.isArray(header.x5c) && typeof header.x5c[0] === 'string') {
    try {
      const cert = new X509Certificate(Buffer.from(header.x5c[0], 'base64'));
      const key = createPublicKey(cert.publicKey.export({ format: 'pem', type: 'spki' }));
      if (!verify(hash, Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url'))) details.push({ field, message: 'the signature does not verify' });
    } catch {
      details.push({ field, message: 'the x5c certificate cannot be read' });
    }
  }
  if (details.length > 0) throw new DomainError('validation_failed', details[0]?.message as string, details);
}
