import { type CourseIdParams, type CreateCourseBody, routes, type SaveDraftBody, type SetOwnerBody } from '@hts/contracts';
import { type Actor, createCourse, getCourseDraft, listTrainerCourses, publishCourse, saveDraft, setCourseOwner } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function authoringRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    ...fromContract(app, routes.trainerCourses),
    handler: async (request) => listTrainerCourses(app.services, request.actor as Actor),
  });
  app.route({
    ...fromContract(app, routes.createCourse),
    handler: async (request: FastifyRequest<{ Body: CreateCourseBody }>, reply) =>
      reply.status(201).send(await createCourse(app.services, request.actor as Actor, request.body)),
  });
  app.route({
    ...fromContract(app, routes.courseDraft),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams }>) => getCourseDraft(app.services, request.actor as Actor, request.params.id),
  });
  app.route({
    ...fromContract(app, routes.saveDraft),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams; Body: SaveDraftBody }>) =>
      saveDraft(app.services, request.actor as Actor, request.params.id, request.body),
  });
  app.route({
    ...fromContract(app, routes.publishCourse),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams }>) => publishCourse(app.services, request.actor as Actor, request.params.id),
  });
  app.route({
    ...fromContract(app, routes.setCourseOwner),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams; Body: SetOwnerBody }>) =>
      setCourseOwner(app.services, request.actor as Actor, request.params.id, request.body, requestContext(request)),
  });
}
