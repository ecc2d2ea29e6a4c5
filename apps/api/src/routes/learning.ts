import {
  type AttemptParams,
  type BulkEnrolBody,
  type CourseIdParams,
  type LaunchBody,
  type LaunchFetchQuery,
  type LessonParams,
  type ProgressBatch,
  routes,
  type SubmitAttemptBody,
} from '@hts/contracts';
import {
  type Actor,
  bulkEnrol,
  enrol,
  fetchLaunchToken,
  getLesson,
  launchExternal,
  moveToNewestVersion,
  myLearning,
  recommendCourses,
  recordProgress,
  startAttempt,
  submitAttempt,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../plugins/auth.ts';
import { fromContract } from './define.ts';

export async function learningRoutes(app: FastifyInstance): Promise<void> {
  // Progress, quiz attempts and completions are also xAPI statements about the learner's platform account.
  const learningDeps = { ...app.services, baseIri: app.lrsHomePage };
  app.route({
    ...fromContract(app, routes.enrol),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams }>, reply) => {
      const { created, enrolment } = await enrol(app.services, request.actor as Actor, request.params.id);
      return reply.status(created ? 201 : 200).send(enrolment);
    },
  });
  app.route({
    ...fromContract(app, routes.moveToNewestVersion),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams }>) => moveToNewestVersion(learningDeps, request.actor as Actor, request.params.id),
  });
  app.route({
    ...fromContract(app, routes.bulkEnrol),
    handler: async (request: FastifyRequest<{ Params: CourseIdParams; Body: BulkEnrolBody }>) =>
      bulkEnrol(app.services, request.actor as Actor, request.params.id, request.body, requestContext(request)),
  });
  app.route({
    ...fromContract(app, routes.lesson),
    handler: async (request: FastifyRequest<{ Params: LessonParams }>) =>
      getLesson(app.services, request.actor as Actor, request.params.id, request.params.lessonId),
  });
  app.route({
    ...fromContract(app, routes.launchExternal),
    handler: async (request: FastifyRequest<{ Params: LessonParams; Body: LaunchBody }>) =>
      launchExternal(app.services, request.actor as Actor, request.params.id, request.params.lessonId, {
        homePage: app.lrsHomePage,
        origin: request.body.origin ?? app.lrsHomePage,
      }),
  });
  app.route({
    ...fromContract(app, routes.fetchLaunchToken),
    // cmi5 §8.2: the activity may run on another origin (or a sandboxed frame's opaque one) and reads the answer
    handler: async (request: FastifyRequest<{ Params: { id: string }; Querystring: LaunchFetchQuery }>, reply) => {
      reply.header('access-control-allow-origin', '*').header('cache-control', 'no-store');
      return fetchLaunchToken(app.services, request.params.id, request.query.k);
    },
  });
  app.route({
    ...fromContract(app, routes.progress),
    handler: async (request: FastifyRequest<{ Body: ProgressBatch }>) => recordProgress(learningDeps, request.actor as Actor, request.body),
  });
  app.route({
    ...fromContract(app, routes.startAttempt),
    handler: async (request: FastifyRequest<{ Params: LessonParams }>, reply) =>
      reply.status(201).send(await startAttempt(app.services, request.actor as Actor, request.params.id, request.params.lessonId)),
  });
  app.route({
    ...fromContract(app, routes.submitAttempt),
    handler: async (request: FastifyRequest<{ Params: AttemptParams; Body: SubmitAttemptBody }>) =>
      submitAttempt(learningDeps, request.actor as Actor, request.params.id, request.body),
  });
  app.route({
    ...fromContract(app, routes.recommendations),
    handler: async (request: FastifyRequest<{ Querystring: { limit?: number } }>) =>
      recommendCourses(app.services, request.actor as Actor, request.query.limit),
  });
  app.route({
    ...fromContract(app, routes.myLearning),
    handler: async (request) => myLearning(app.services, request.actor as Actor),
  });
}
