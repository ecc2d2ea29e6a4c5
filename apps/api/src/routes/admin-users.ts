import { type CreateUserBody, type ListUsersQuery, routes, type SetRolesBody, type UserIdParams } from '@hts/contracts';
import { type Actor, createUser, listUsers, setUserRoles, withIdempotency } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.adminListUsers),
    handler: async (request: FastifyRequest<{ Querystring: ListUsersQuery }>) => listUsers(app.services, request.actor as Actor, request.query),
  });

  app.route({
    ...fromContract(app, routes.adminCreateUser),
    handler: async (request: FastifyRequest<{ Body: CreateUserBody }>, reply) => {
      const actor = request.actor as Actor;
      const run = async () => ({ status: 201, body: await createUser(app.services, actor, request.body, requestContext(request)) });
      const key = request.headers['idempotency-key'];
      const result =
        typeof key === 'string'
          ? await withIdempotency(app.services.db, { scope: `admin-create-user:${actor.userId}`, key, request: request.body }, run)
          : await run();
      return reply.status(result.status as 201).send(result.body);
    },
  });

  app.route({
    ...fromContract(app, routes.adminSetRoles),
    handler: async (request: FastifyRequest<{ Params: UserIdParams; Body: SetRolesBody }>) =>
      setUserRoles(app.services, request.actor as Actor, request.params.id, request.body, requestContext(request)),
  });
}
