import type { RouteDef } from '@hts/contracts';
import { DomainError } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessGuard } from '../plugins/auth.ts';

const bearerSecurity: Record<string, string[]> = { bearer: [] };
const basicSecurity: Record<string, string[]> = { basic: [] };

/**
 * A streamed body is raw bytes: any content type but the route's (`streamTypes`, application/octet-stream by
 * default) is refused with 415 naming the ones expected, before a parser could buffer it (a JSON body would
 * otherwise be parsed whole).
 */
function requireStreamType(types: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (!type || !types.includes(type)) {
      throw new DomainError('unsupported_media_type', `send the body as ${types.join(' or ')}`, [
        { field: '/headers/content-type', message: `must be ${types.join(' or ')}, not ${type || 'missing'}` },
      ]);
    }
  };
}

/** The Fastify route options a contract route implies: method, URL, schemas, docs and its access guard. */
export function fromContract<R extends RouteDef>(app: FastifyInstance, route: R) {
  const preHandler = accessGuard(app, route.access);
  return {
    method: route.method,
    url: route.path,
    schema: {
      summary: route.summary,
      tags: [...route.tags],
      ...(route.access === 'public' ? {} : { security: route.access === 'lrs' ? [basicSecurity, bearerSecurity] : [bearerSecurity] }),
      ...(route.params ? { params: route.params as R['params'] } : {}),
      ...(route.querystring ? { querystring: route.querystring as R['querystring'] } : {}),
      // A streamed body reaches the handler as raw bytes: there is nothing for a JSON schema to check.
      ...(route.body && route.bodyKind !== 'stream' ? { body: route.body as R['body'] } : {}),
      response: route.response as R['response'],
    },
    ...(route.bodyKind === 'stream' ? { onRequest: requireStreamType(route.streamTypes ?? ['application/octet-stream']) } : {}),
    ...(preHandler ? { preHandler } : {}),
  } as const;
}
