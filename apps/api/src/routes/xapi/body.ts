import { DomainError } from '@hts/domain';
import type { FastifyRequest } from 'fastify';

const mediaType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** The raw body bytes (the /xapi parser keeps them as they came). */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** A statement body: JSON, parsed here so a malformed one is a 400 rather than a framework error. */
export function jsonStatements(request: FastifyRequest): unknown {
  const type = mediaType(request);
  if (type !== 'application/json')
    throw new DomainError('unsupported_media_type', 'send statements as application/json', [
      { field: '/headers/content-type', message: 'must be application/json' },
    ]);
  try {
    return JSON.parse(rawBody(request).toString('utf8'));
  } catch {
    throw new DomainError('bad_request', 'the body is not valid JSON', [{ field: '/body', message: 'is not valid JSON' }]);
  }
}

export const contentTypeOf = (request: FastifyRequest) => request.headers['content-type'] ?? 'application/octet-stream';

export const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};
