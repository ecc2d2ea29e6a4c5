import { routes, type StatementsQuery } from '@hts/contracts';
import { checkLaunchStatements, completeFromStatements, getStatements, type LrsPrincipal, statementsConsistentThrough, storeStatements } from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromContract } from '../define.ts';
import { header, multipartAnswer, statementBody } from './body.ts';

export async function xapiStatementRoutes(app: FastifyInstance): Promise<void> {
  const writeDeps = { ...app.services, writer: app.statementWriter };
  app.route({
    ...fromContract(app, routes.xapiPostStatements),
    handler: async (request) => {
      const { body, parts } = statementBody(request);
      const principal = request.lrs as LrsPrincipal;
      // an activity's cmi5 session: nothing after "terminated", no outcome in a Review session
      checkLaunchStatements(principal, body);
      const ids = await storeStatements(writeDeps, principal, body, { parts, xapiVersion: header(request, 'x-experience-api-version') });
      // stored and durable: external activity lessons these statements complete are completed now (and a
      // launch token's session notes them, ending on "terminated")
      await completeFromStatements(app.services, app.lrsHomePage, Array.isArray(body) ? body : [body], principal.launch);
      return ids;
    },
  });

  app.route({
    ...fromContract(app, routes.xapiPutStatement),
    handler: async (request: FastifyRequest<{ Querystring: { statementId: string } }>, reply) => {
      const { body, parts } = statementBody(request);
      const principal = request.lrs as LrsPrincipal;
      checkLaunchStatements(principal, body);
      await storeStatements(writeDeps, principal, body, {
        putId: request.query.statementId,
        parts,
        xapiVersion: header(request, 'x-experience-api-version'),
      });
      await completeFromStatements(app.services, app.lrsHomePage, [body], principal.launch);
      return reply.status(204).send();
    },
  });

  app.route({
    ...fromContract(app, routes.xapiGetStatements),
    handler: async (request: FastifyRequest<{ Querystring: StatementsQuery }>, reply) => {
      // Read before the query runs: everything stored up to this instant is in the answer, including what
      // transactions still running now will store (see statementsConsistentThrough).
      const consistentThrough = await statementsConsistentThrough(app.services.db);
      const answer = await getStatements(app.services, request.lrs as LrsPrincipal, request.query, '/xapi/statements', {
        acceptLanguage: request.headers['accept-language'],
      });
      reply.header('x-experience-api-consistent-through', consistentThrough);
      if (answer.kind === 'one') reply.header('last-modified', new Date(answer.statement.stored as string).toUTCString());
      const json = answer.kind === 'one' ? answer.statement : answer.result;
      if (!answer.attachments) return json;
      const { boundary, body } = multipartAnswer(json, answer.attachments);
      return reply.header('content-type', `multipart/mixed; boundary=${boundary}`).send(body);
    },
  });
}
