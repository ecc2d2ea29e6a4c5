import { type IndicatorsQuery, type OfficialCountsBody, type PublicIndicatorsQuery, routes } from '@hts/contracts';
import { type Actor, getIndicators, getPublicIndicators, importOfficialCounts } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function indicatorRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.indicators),
    handler: async (request: FastifyRequest<{ Querystring: IndicatorsQuery }>) =>
      getIndicators(app.services, request.actor as Actor, request.query, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.publicIndicators),
    handler: async (request: FastifyRequest<{ Querystring: PublicIndicatorsQuery }>) => getPublicIndicators(app.services, request.query),
  });

  app.route({
    ...fromContract(app, routes.importOfficialCounts),
    handler: async (request: FastifyRequest<{ Body: OfficialCountsBody }>) =>
      importOfficialCounts(app.services, request.actor as Actor, request.body, requestContext(request)),
  });
}
