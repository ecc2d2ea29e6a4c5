import type { RouteDef } from '@hts/contracts';
import type { FastifyInstance } from 'fastify';
import { accessGuard } from '../plugins/auth.ts';

const bearerSecurity: Record<string, string[]> = { bearer: [] };
const basicSecurity: Record<string, string[]> = { basic: [] };

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
    ...(preHandler ? { preHandler } : {}),
  } as const;
}
