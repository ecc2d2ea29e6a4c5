import type { Readable } from 'node:stream';
import {
  type CollectiveAwardBody,
  type CollectiveAwardParams,
  type CollectiveListQuery,
  type CollectiveParams,
  type KhuyenHocTrainingQuery,
  type RegistryImportParams,
  type RegistryImportQuery,
  type RegistryPersonParams,
  type RevokeTitleBody,
  routes,
  type YearQuery,
} from '@hts/contracts';
import {
  type Actor,
  applyRegistryImport,
  awardCollectiveTitles,
  type CollectiveAwardDeps,
  type CollectiveDeps,
  checkRegistryImport,
  getCollectiveStatus,
  getRegistryPerson,
  khuyenHocTrainingReport,
  listCollectiveStatuses,
  listMyCollectives,
  type RegistryDeps,
  revokeCollectiveTitle,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

/** What an officer's browser or script may send a registry file as; the bytes decide CSV or XLSX. */
const FILE_TYPES = ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

export async function registryRoutes(app: FastifyInstance): Promise<void> {
  const deps = (): RegistryDeps => ({ db: app.services.db, store: app.services.objectStore, clock: app.services.clock, registry: app.services.registry });

  // The file is handed on as a stream and read against REGISTRY_IMPORT_MAX_BYTES by the use case (this plugin's scope only).
  for (const type of FILE_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  app.route({
    ...fromContract(app, routes.registryImportCheck),
    handler: async (request: FastifyRequest<{ Querystring: RegistryImportQuery }>, reply) => {
      const length = request.headers['content-length'];
      const report = await checkRegistryImport(
        deps(),
        request.actor as Actor,
        {
          kind: request.query.kind,
          fileName: request.query.fileName,
          body: request.body as Readable,
          ...(length !== undefined && /^[0-9]+$/.test(length) ? { contentLength: Number(length) } : {}),
        },
        requestContext(request),
      );
      return reply.status(201).send(report);
    },
  });

  app.route({
    ...fromContract(app, routes.registryImportApply),
    handler: async (request: FastifyRequest<{ Params: RegistryImportParams }>) =>
      applyRegistryImport(deps(), request.actor as Actor, request.params.id, requestContext(request)),
  });

  const collectiveDeps = (): CollectiveDeps => ({ db: app.services.db, clock: app.services.clock, collectiveRules: app.services.collectiveRules });

  app.route({
    ...fromContract(app, routes.collectiveList),
    handler: async (request: FastifyRequest<{ Querystring: CollectiveListQuery }>) => ({
      items: await listCollectiveStatuses(collectiveDeps(), request.actor as Actor, request.query),
    }),
  });

  app.route({
    ...fromContract(app, routes.collectiveGet),
    handler: async (request: FastifyRequest<{ Params: CollectiveParams; Querystring: YearQuery }>) =>
      getCollectiveStatus(collectiveDeps(), request.actor as Actor, request.params.kind, request.params.id, request.query.year),
  });

  const awardDeps = (request: FastifyRequest): CollectiveAwardDeps => ({ ...collectiveDeps(), ctx: requestContext(request) });

  app.route({
    ...fromContract(app, routes.collectiveAward),
    handler: async (request: FastifyRequest<{ Body: CollectiveAwardBody }>, reply) =>
      reply.status(201).send(await awardCollectiveTitles(awardDeps(request), request.actor as Actor, request.body)),
  });

  app.route({
    ...fromContract(app, routes.collectiveAwardRevoke),
    handler: async (request: FastifyRequest<{ Params: CollectiveAwardParams; Body: RevokeTitleBody }>) =>
      revokeCollectiveTitle(awardDeps(request), request.actor as Actor, request.params.id, request.body),
  });

  app.route({
    ...fromContract(app, routes.myCollectives),
    handler: async (request: FastifyRequest<{ Querystring: YearQuery }>) => ({
      items: await listMyCollectives(collectiveDeps(), request.actor as Actor, request.query.year),
    }),
  });

  app.route({
    ...fromContract(app, routes.registryPerson),
    handler: async (request: FastifyRequest<{ Params: RegistryPersonParams }>) =>
      getRegistryPerson(app.services.db, request.actor as Actor, request.params.id, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.khuyenHocTraining),
    handler: async (request: FastifyRequest<{ Querystring: KhuyenHocTrainingQuery }>) =>
      khuyenHocTrainingReport(app.services.db, request.actor as Actor, request.query),
  });
}
