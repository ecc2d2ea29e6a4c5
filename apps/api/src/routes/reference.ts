import { routes } from '@hts/contracts';
import { listCommunes, listTargetGroups } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { fromContract } from './define.ts';

export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.communes),
    handler: async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return listCommunes(app.services.db);
    },
  });
  app.route({
    ...fromContract(app, routes.targetGroups),
    handler: async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return listTargetGroups(app.services.db);
    },
  });
}
