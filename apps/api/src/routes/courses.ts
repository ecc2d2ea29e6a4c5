import { type CatalogQuery, routes, type SlugParams } from '@hts/contracts';
import { getCoursePage, loadActor, searchCatalog } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { optionalClaims } from '../plugins/auth.ts';
import { fromContract } from './define.ts';
import { sendSerializedOnce } from './send-serialized-once.ts';

export async function courseRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.catalog),
    handler: async (request: FastifyRequest<{ Querystring: CatalogQuery }>, reply) =>
      sendSerializedOnce(reply, await searchCatalog(app.services, request.query)),
  });

  app.route({
    ...fromContract(app, routes.coursePage),
    handler: async (request: FastifyRequest<{ Params: SlugParams }>) => {
      // public page; a valid token adds the caller's own enrolment and lesson status
      const claims = await optionalClaims(app, request);
      const actor = claims ? await loadActor(app.services.db, claims.sub, claims.sid) : null;
      return getCoursePage(app.services, request.params.slug, actor?.userId ?? null);
    },
  });
}
