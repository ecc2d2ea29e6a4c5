import { type ObjectParams, routes, type SignedQuery } from '@hts/contracts';
import { DomainError } from '@hts/domain';
import { isValidKey, LocalObjectStore } from '@hts/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromContract } from './define.ts';

/**
 * Serves the local object folder for URLs its `signedGetUrl` made (embedded mode only). With S3 the
 * browser fetches objects from the store itself and this route answers 404: in production segment
 * bytes never pass through Node.
 */
export async function objectRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.localObject),
    handler: async (request: FastifyRequest<{ Params: ObjectParams; Querystring: SignedQuery }>, reply) => {
      const store = app.services.objectStore;
      const key = request.params['*'];
      if (!(store instanceof LocalObjectStore) || !isValidKey(key)) throw new DomainError('not_found', 'no such object');
      if (!store.verifySignedUrl(key, request.query.expires, request.query.signature)) {
        throw new DomainError('forbidden', 'this link has expired or is not valid');
      }
      const info = await store.stat(key);
      if (!info) throw new DomainError('not_found', 'no such object');
      const expires = Number(request.query.expires) * 1000;
      const maxAge = Math.max(0, Math.floor((expires - Date.now()) / 1000));
      return reply
        .type(info.contentType ?? 'application/octet-stream')
        .header('content-length', String(info.size))
        .header('cache-control', `private, max-age=${maxAge}`)
        .send(await store.get(key));
    },
  });
}
