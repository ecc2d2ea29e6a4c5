import type { Readable } from 'node:stream';
import { CsvError, parseCsv } from '@hts/content';
import {
  type ApproveBody,
  type AssessmentIdParams,
  type AttachmentIdParams,
  type AttachmentUploadQuery,
  type ConfirmDigitalSkillBody,
  type DigitalSkillImportBody,
  type MarkReadBody,
  type OpenAssessmentBody,
  type ReturnBody,
  type ReviewBody,
  type ReviewQueueQuery,
  type RevokeTitleBody,
  routes,
  type SaveItemsBody,
} from '@hts/contracts';
import {
  type Actor,
  approveAssessments,
  assessmentAttachmentLink,
  type CriteriaDeps,
  confirmAssessment,
  confirmDigitalSkillByOfficer,
  DomainError,
  getAssessmentForReview,
  importDigitalSkillConfirmations,
  listNotifications,
  listReviewQueue,
  markNotificationsRead,
  myTitles,
  openSelfAssessment,
  returnAssessment,
  revokePersonTitle,
  saveSelfAssessment,
  submitSelfAssessment,
  uploadAssessmentAttachment,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromContract } from './define.ts';

/** Self-assessment, review and approval of the "Công dân học tập" title, digital-skill confirmation, notifications. */
export async function criteriaRoutes(app: FastifyInstance): Promise<void> {
  const deps = (request: FastifyRequest): CriteriaDeps => ({
    db: app.services.db,
    clock: app.services.clock,
    store: app.services.objectStore,
    notifier: app.services.notifier,
    ctx: { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
  });
  const actor = (request: FastifyRequest) => request.actor as Actor;

  // attachments arrive as raw bytes; the use case reads at most its limit and checks the type by the bytes
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.route({
    ...fromContract(app, routes.openSelfAssessment),
    handler: async (request: FastifyRequest<{ Body: OpenAssessmentBody }>) => openSelfAssessment(deps(request), actor(request), request.body.year),
  });
  app.route({
    ...fromContract(app, routes.saveSelfAssessment),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams; Body: SaveItemsBody }>) =>
      saveSelfAssessment(deps(request), actor(request), request.params.id, request.body),
  });
  app.route({
    ...fromContract(app, routes.submitSelfAssessment),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams }>) => submitSelfAssessment(deps(request), actor(request), request.params.id),
  });
  app.route({
    ...fromContract(app, routes.uploadAssessmentAttachment),
    handler: async (request: FastifyRequest<{ Querystring: AttachmentUploadQuery }>, reply) => {
      const length = request.headers['content-length'];
      const info = await uploadAssessmentAttachment(deps(request), actor(request), {
        fileName: request.query.fileName,
        body: request.body as Readable | Buffer,
        ...(length !== undefined && /^[0-9]+$/.test(length) ? { contentLength: Number(length) } : {}),
      });
      return reply.status(201).send(info);
    },
  });
  app.route({
    ...fromContract(app, routes.assessmentAttachmentLink),
    handler: async (request: FastifyRequest<{ Params: AttachmentIdParams }>) => assessmentAttachmentLink(deps(request), actor(request), request.params.id),
  });
  app.route({
    ...fromContract(app, routes.reviewQueue),
    handler: async (request: FastifyRequest<{ Querystring: ReviewQueueQuery }>) => listReviewQueue(deps(request), actor(request), request.query),
  });
  app.route({
    ...fromContract(app, routes.reviewAssessment),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams }>) => getAssessmentForReview(deps(request), actor(request), request.params.id),
  });
  app.route({
    ...fromContract(app, routes.confirmAssessment),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams; Body: ReviewBody }>) =>
      confirmAssessment(deps(request), actor(request), request.params.id, request.body.comment, request.body.attestations),
  });
  app.route({
    ...fromContract(app, routes.returnAssessment),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams; Body: ReturnBody }>) =>
      returnAssessment(deps(request), actor(request), request.params.id, request.body.comment),
  });
  app.route({
    ...fromContract(app, routes.approveAssessments),
    handler: async (request: FastifyRequest<{ Body: ApproveBody }>) => approveAssessments(deps(request), actor(request), request.body),
  });
  app.route({
    ...fromContract(app, routes.revokeTitle),
    handler: async (request: FastifyRequest<{ Params: AssessmentIdParams; Body: RevokeTitleBody }>) =>
      revokePersonTitle(deps(request), actor(request), request.params.id, request.body),
  });
  app.route({
    ...fromContract(app, routes.myTitles),
    handler: async (request) => myTitles(deps(request), actor(request)),
  });
  app.route({
    ...fromContract(app, routes.confirmDigitalSkill),
    handler: async (request: FastifyRequest<{ Body: ConfirmDigitalSkillBody }>, reply) =>
      reply.status(201).send(await confirmDigitalSkillByOfficer(deps(request), actor(request), request.body)),
  });
  app.route({
    ...fromContract(app, routes.importDigitalSkills),
    handler: async (request: FastifyRequest<{ Body: DigitalSkillImportBody }>) => {
      let parsed: ReturnType<typeof parseCsv>;
      try {
        parsed = parseCsv(request.body.csv);
      } catch (error) {
        if (error instanceof CsvError)
          throw new DomainError('validation_failed', `the CSV is broken at line ${error.line}: ${error.message}`, [
            { field: '/body/csv', message: `line ${error.line}: ${error.message}` },
          ]);
        throw error;
      }
      return importDigitalSkillConfirmations({ ...deps(request), idNumbers: app.services.registry.codec }, actor(request), {
        header: parsed.header,
        rows: parsed.rows,
        sourceName: request.body.sourceName,
        dryRun: request.body.dryRun,
      });
    },
  });
  app.route({
    ...fromContract(app, routes.myNotifications),
    handler: async (request) => listNotifications(deps(request), actor(request)),
  });
  app.route({
    ...fromContract(app, routes.markNotificationsRead),
    handler: async (request: FastifyRequest<{ Body: MarkReadBody }>, reply) => {
      await markNotificationsRead(deps(request), actor(request), request.body.ids);
      return reply.status(204).send();
    },
  });
}
