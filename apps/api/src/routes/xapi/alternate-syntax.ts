import { DomainError } from '@hts/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rawBody } from './body.ts';

/** Form parameters the spec has the LRS treat as headers (Communication 1.3). */
const headerParams = new Set(['authorization', 'x-experience-api-version', 'content-type', 'if-match', 'if-none-match']);
const methods = new Set(['GET', 'PUT', 'POST', 'DELETE']);

export const isAlternateRequest = (request: FastifyRequest) =>
  request.method === 'POST' && typeof (request.query as Record<string, unknown>)?.method === 'string';

/**
 * The alternate request syntax for clients that can only POST forms: `POST …?method=PUT` with the
 * content, the headers and the query parameters as form fields. It is replayed as the request it stands
 * for, through the same routes, auth and validation.
 */
export async function replayAlternateRequest(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const query = request.query as Record<string, string>;
  const method = query.method?.toUpperCase() ?? '';
  if (!methods.has(method))
    throw new DomainError('bad_request', 'method must be GET, PUT, POST or DELETE', [{ field: '/querystring/method', message: 'is not an xAPI method' }]);
  const extra = Object.keys(query).find((k) => k !== 'method');
  if (extra)
    throw new DomainError('bad_request', 'with method=, every other parameter goes in the form', [
      { field: `/querystring/${extra}`, message: 'must be a form field' },
    ]);
  if ((request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded')
    throw new DomainError('unsupported_media_type', 'the alternate request syntax sends a form', [
      { field: '/headers/content-type', message: 'must be application/x-www-form-urlencoded' },
    ]);
  const form = new URLSearchParams(rawBody(request).toString('utf8'));
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'x-experience-api-version'] as const) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const params = new URLSearchParams();
  let content: string | undefined;
  for (const [key, value] of form) {
    const lower = key.toLowerCase();
    if (lower === 'content') content = value;
    else if (headerParams.has(lower)) headers[lower] = value;
    else if (lower !== 'content-length') params.append(key, value);
  }
  if (content !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const path = request.url.split('?')[0] as string;
  const answer = await app.inject({
    method: method as 'GET',
    url: `${path}${params.size > 0 ? `?${params}` : ''}`,
    headers,
    ...(content !== undefined ? { payload: content } : {}),
  });
  for (const [name, value] of Object.entries(answer.headers))
    if (value !== undefined && !['content-length', 'connection', 'transfer-encoding', 'date'].includes(name)) reply.header(name, value);
  await reply.status(answer.statusCode).send(answer.rawPayload);
}
