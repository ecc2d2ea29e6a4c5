import { type RegisterBody, routes } from '@hts/contracts';
import { refreshSession, registerCitizen, signIn, signOut, withIdempotency } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { optionalClaims, requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const limits = app.authRateLimit;

  app.route({
    ...fromContract(app, routes.register),
    config: { rateLimit: limits },
    handler: async (request: FastifyRequest<{ Body: RegisterBody }>, reply) => {
      const run = async () => ({ status: 201, body: await registerCitizen(app.authDeps, request.body, requestContext(request)) });
      const key = request.headers['idempotency-key'];
      const result = typeof key === 'string' ? await withIdempotency(app.services.db, { scope: 'register', key, request: request.body }, run) : await run();
      return reply.status(result.status as 201).send(result.body);
    },
  });

  app.route({
    ...fromContract(app, routes.login),
    config: { rateLimit: limits },
    handler: async (request: FastifyRequest<{ Body: { login: string; password: string } }>) => signIn(app.authDeps, request.body, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.refresh),
    config: { rateLimit: limits },
    handler: async (request: FastifyRequest<{ Body: { refreshToken: string } }>) =>
      refreshSession(app.authDeps, request.body.refreshToken, requestContext(request)),
  });

  app.route({
    ...fromContract(app, routes.logout),
    // Signing out with only the access token is common (a client that lost its refresh token): no body needed.
    preValidation: async (request: FastifyRequest) => {
      request.body ??= {};
    },
    handler: async (request: FastifyRequest<{ Body: { refreshToken?: string } }>, reply) => {
      const claims = await optionalClaims(app, request);
      await signOut(app.services, { refreshToken: request.body?.refreshToken, familyId: claims?.sid }, requestContext(request));
      return reply.status(204).send();
    },
  });
}
