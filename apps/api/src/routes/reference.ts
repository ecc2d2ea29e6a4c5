import { routes } from '@hts/contracts';
import { listCommunes, listTargetGroups } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { fromContract } from './define.ts';
import { cachedFor } from './reference-cache.ts';

const REFERENCE_TTL_MS = 60_000;

export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  const communes = cachedFor(REFERENCE_TTL_MS, () => listCommunes(app.services.db));
  const targetGroups = cachedFor(REFERENCE_TTL_MS, () => listTargetGroups(app.services.db));
  app.route({
    ...fromContract(app, routes.communes),
    handler: async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return communes();
    },
  });
  app.route({
    ...fromContract(app, routes.targetGroups),
    handler: async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return targetGroups();
    },
  });
}
