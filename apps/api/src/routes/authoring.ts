import { Readable } from 'node:stream';
import {
  type CourseIdParams,
  type CreateCourseBody,
  type ImportPackageQuery,
  type LaunchBody,
  type LessonParams,
  routes,
  type SaveDraftBody,
  type SetOwnerBody,
} from '@hts/contracts';
import {
  type Actor,
  createCourse,
  DomainError,
  exportCoursePackage,
  getCourseDraft,
  importCoursePackage,
  launchPreview,
  listTrainerCourses,
  previewLesson,
  publishCourse,
  saveDraft,
  setCourseOwner,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function authoringRoutes(app: FastifyInstance): Promise<void> {
  // A course package arrives as raw zip bytes: the request stream goes to the use case, which stops
  // reading at the package limit (this plugin's scope only).
  app.addContentTypeParser(['application/zip', 'application/x-zip-compressed', 'application/octet-stream'], (_request, payload, done) => done(null, payload));

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
    ...fromContract(app, routes.previewLesson),
    handler: async (request: FastifyRequest<{ Params: LessonParams }>) =>
      previewLesson(app.services, request.actor as Actor, request.params.id, request.params.lessonId),
  });
  app.route({
    ...fromContract(app, routes.previewLaunch),
    handler: async (request: FastifyRequest<{ Params: LessonParams; Body: LaunchBody }>) =>
      launchPreview(app.services, request.actor as Actor, request.params.id, request.params.lessonId, {
        homePage: app.lrsHomePage,
        origin: request.body.origin ?? app.lrsHomePage,
      }),
  });
  app.route({
    ...fromContract(app, routes.exportCoursePackage),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams }>, reply) => {
      const { filename, zip } = await exportCoursePackage(app.services, request.actor as Actor, request.params.id);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(Readable.from(zip));
    },
  });
  app.route({
    ...fromContract(app, routes.importCoursePackage),
    handler: async (request: FastifyRequest<{ Querystring: ImportPackageQuery }>, reply) => {
      const length = request.headers['content-length'];
      if (!(request.body instanceof Readable))
        throw new DomainError('unsupported_media_type', 'send the zip file as application/zip', [
          { field: '/headers/content-type', message: 'must be application/zip' },
        ]);
      const { created, draft } = await importCoursePackage(app.services, request.actor as Actor, {
        body: request.body as Readable,
        ...(length !== undefined && /^[0-9]+$/.test(length) ? { contentLength: Number(length) } : {}),
        ...(request.query.slug ? { slug: request.query.slug } : {}),
      });
      return reply.status(created ? 201 : 200).send(draft);
    },
  });
  app.route({
    ...fromContract(app, routes.setCourseOwner),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams; Body: SetOwnerBody }>) =>
      setCourseOwner(app.services, request.actor as Actor, request.params.id, request.body, requestContext(request)),
  });
}
