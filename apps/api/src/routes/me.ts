import { routes } from '@hts/contracts';
import { loadUserView } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { fromContract } from './define.ts';

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.me),
    handler: async (request) => loadUserView(app.services.db, request.actor?.userId as string),
  });
}
