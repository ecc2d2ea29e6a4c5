import { routes } from '@hts/contracts';
import { listAnchors } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { fromContract } from './define.ts';

export async function evidenceRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.evidenceAnchors),
    handler: async () => ({ anchors: await listAnchors(app.services.db) }),
  });
}
