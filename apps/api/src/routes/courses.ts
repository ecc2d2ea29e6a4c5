import { type CatalogPage, type CatalogQuery, routes, type SlugParams } from '@hts/contracts';
import { getCoursePage, loadActor, searchCatalog } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { optionalClaims } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function courseRoutes(app: FastifyInstance): Promise<void> {
  // A cached answer is the same object on every hit: its JSON is kept beside it and sent as it is, so a hit
  // costs no serialisation either (the object already has exactly the schema's shape).
  const serialised = new WeakMap<CatalogPage, string>();
  app.route({
    ...fromContract(app, routes.catalog),
    handler: async (request: FastifyRequest<{ Querystring: CatalogQuery }>, reply) => {
      const page = await searchCatalog(app.services, request.query);
      let body = serialised.get(page);
      if (body === undefined) {
        body = JSON.stringify(page);
        serialised.set(page, body);
      }
      return reply.type('application/json; charset=utf-8').send(body);
    },
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
