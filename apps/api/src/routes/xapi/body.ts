import { randomBytes } from 'node:crypto';
import { type AttachmentContent, DomainError, type MultipartPart, parseMultipart } from '@hts/domain';
import type { FastifyRequest } from 'fastify';

const mediaType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** The raw body bytes (the /xapi parser keeps them as they came). */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DomainError('bad_request', 'the statements are not valid JSON', [{ field: '/body', message: 'is not valid JSON' }]);
  }
}

/**
 * A statement request body: application/json, or multipart/mixed whose first part is the JSON and whose
 * other parts are attachments. Parsed here so a malformed body is a 400 naming the field.
 */
export function statementBody(request: FastifyRequest): { body: unknown; parts?: MultipartPart[] } {
  const type = mediaType(request);
  if (type === 'application/json') return { body: parseJson(rawBody(request)) };
  if (type === 'multipart/mixed') {
    const boundary = /boundary="?([^";]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (!boundary) throw new DomainError('bad_request', 'multipart/mixed needs a boundary', [{ field: '/headers/content-type', message: 'has no boundary' }]);
    const [first, ...parts] = parseMultipart(rawBody(request), boundary);
    if (!first || (first.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/json')
      throw new DomainError('bad_request', 'the first part must be the statements as application/json', [
        { field: '/body/parts/0', message: 'must be application/json' },
      ]);
    return { body: parseJson(first.content), parts };
  }
  throw new DomainError('unsupported_media_type', 'send statements as application/json or multipart/mixed', [
    { field: '/headers/content-type', message: 'must be application/json or multipart/mixed' },
  ]);
}

export const contentTypeOf = (request: FastifyRequest) => request.headers['content-type'] ?? 'application/octet-stream';

export const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** An attachments=true answer: the JSON first, then each attachment as a binary part with its hash. */
export function multipartAnswer(json: unknown, attachments: AttachmentContent[]): { boundary: string; body: Buffer } {
  const boundary = `xapi-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`)];
  for (const a of attachments)
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`),
      a.content,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(chunks) };
}
