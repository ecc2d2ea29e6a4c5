import { routes } from '@hts/contracts';
import { checkHealth } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { fromContract } from './define.ts';

export async function systemRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.health),
    handler: async (_request, reply) => {
      const health = await checkHealth({ database: { ping: app.services.pingDatabase }, objectStore: app.services.objectStore });
      return reply.status(health.status === 'ok' ? 200 : 503).send(health);
    },
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
