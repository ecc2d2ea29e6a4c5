import {
  type IndicatorExportBody,
  type IndicatorExportParams,
  type IndicatorPeopleQuery,
  type IndicatorsQuery,
  type OfficialCountsBody,
  type PersonEvidenceParams,
  type PublicIndicatorsQuery,
  routes,
} from '@hts/contracts';
import {
  type Actor,
  getIndicatorExport,
  getIndicators,
  getPersonEvidence,
  getPublicIndicators,
  importOfficialCounts,
  listIndicatorPeople,
  requestIndicatorExport,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';
import { sendSerializedOnce } from './send-serialized-once.ts';

export async function indicatorRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.indicators),
    handler: async (request: FastifyRequest<{ Querystring: IndicatorsQuery }>, reply) =>
      sendSerializedOnce(reply, await getIndicators(app.services, request.actor as Actor, request.query, requestContext(request))),
  });

  app.route({
    ...fromContract(app, routes.publicIndicators),
    handler: async (request: FastifyRequest<{ Querystring: PublicIndicatorsQuery }>, reply) =>
      sendSerializedOnce(reply, await getPublicIndicators(app.services, request.query)),
  });

  app.route({
    ...fromContract(app, routes.importOfficialCounts),
    handler: async (request: FastifyRequest<{ Body: OfficialCountsBody }>) =>
      importOfficialCounts(app.services, request.actor as Actor, request.body, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.indicatorPeople),
    handler: async (request: FastifyRequest<{ Querystring: IndicatorPeopleQuery }>) =>
      listIndicatorPeople(app.services.db, request.actor as Actor, request.query, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.personEvidence),
    handler: async (request: FastifyRequest<{ Params: PersonEvidenceParams }>) =>
      getPersonEvidence(app.services.db, request.actor as Actor, request.params, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.requestIndicatorExport),
    handler: async (request: FastifyRequest<{ Body: IndicatorExportBody }>, reply) =>
      reply.status(202).send(await requestIndicatorExport(app.services, request.actor as Actor, request.body, requestContext(request))),
  });

  app.route({
    ...fromContract(app, routes.indicatorExport),
    handler: async (request: FastifyRequest<{ Params: IndicatorExportParams }>) =>
      getIndicatorExport({ db: app.services.db, store: app.services.objectStore }, request.actor as Actor, request.params.id),
  });
}
