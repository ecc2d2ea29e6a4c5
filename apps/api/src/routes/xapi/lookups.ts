import { routes } from '@hts/contracts';
import { getActivity, getPerson, type LrsPrincipal } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromContract } from '../define.ts';

export async function xapiLookupRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.xapiAbout),
    handler: async () => ({ version: ['1.0.3', '2.0.0'], extensions: {} }),
  });

  app.route({
    ...fromContract(app, routes.xapiActivity),
    handler: async (request: FastifyRequest<{ Querystring: { activityId: string } }>) =>
      getActivity(app.services.db, request.lrs as LrsPrincipal, request.query.activityId),
  });

  app.route({
    ...fromContract(app, routes.xapiAgents),
    handler: async (request: FastifyRequest<{ Querystring: { agent: string } }>) => getPerson(request.lrs as LrsPrincipal, request.query.agent),
  });
}
