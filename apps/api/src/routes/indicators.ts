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
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

/**
 * A dashboard comes from the API's dashboard cache as the same object until its numbers change; serializing its
 * hundred-odd kilobytes (99 communes × every indicator) was most of what a cached province view still cost, so
 * the route's own serializer (its response schema) runs once per object and the text is sent as it is after.
 */
const serialized = new WeakMap<object, string | Buffer | ArrayBuffer>();
function sendSerializedOnce(reply: FastifyReply, report: object): FastifyReply {
  let text = serialized.get(report);
  if (text === undefined) {
    text = reply.serialize(report);
    serialized.set(report, text);
  }
  return reply.type('application/json; charset=utf-8').send(text);
}

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
