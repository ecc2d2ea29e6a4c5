import { createStatementWriter, DomainError, isSupportedVersion, type StatementWriter } from '@hts/domain';
import type { FastifyInstance } from 'fastify';
import { isAlternateRequest, replayAlternateRequest } from './alternate-syntax.ts';
import { xapiDocumentRoutes } from './documents.ts';
import { xapiLookupRoutes } from './lookups.ts';
import { xapiStatementRoutes } from './statements.ts';

/** What this LRS answers in X-Experience-API-Version: the newest patch of the major.minor asked for. */
declare module 'fastify' {
  interface FastifyInstance {
    statementWriter: StatementWriter;
  }
}

const answerVersion = (asked: string | undefined) => (asked?.startsWith('2.0') ? '2.0.0' : '1.0.3');

const EXPOSED = 'etag, last-modified, x-experience-api-version, x-experience-api-consistent-through';

// Batches of statements are larger than the API's usual JSON bodies.
export const XAPI_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * The xAPI resources under /xapi: their own body handling (documents have any content type, statements
 * are parsed by the LRS so a bad body is a 400 naming the field), and the version header on every answer.
 */
export async function xapiRoutes(app: FastifyInstance): Promise<void> {
  // One writer per process: concurrent statement requests share transactions (group commit).
  app.decorate('statementWriter', createStatementWriter(app.services));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: XAPI_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    // Activities run on other origins, or in a sandboxed frame whose origin is opaque: they authenticate
    // with a header (never a cookie), so any origin may call and read the answer.
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED);
    if (request.method === 'OPTIONS') return;
    const asked = request.headers['x-experience-api-version'];
    reply.header('x-experience-api-version', answerVersion(typeof asked === 'string' ? asked : undefined));
    // About needs no version; an alternate-syntax request carries it as a form field, checked on replay.
    if (request.url.split('?')[0] === '/xapi/about' || isAlternateRequest(request)) return;
    if (typeof asked !== 'string' || !isSupportedVersion(asked.trim()))
      throw new DomainError('bad_request', 'send the X-Experience-API-Version header: 1.0.x or 2.0.x', [
        { field: '/headers/x-experience-api-version', message: asked === undefined ? 'is required' : 'must be 1.0.x or 2.0.x' },
      ]);
  });

  app.addHook('preValidation', async (request, reply) => {
    if (isAlternateRequest(request)) await replayAlternateRequest(app, request, reply);
  });

  app.options('/xapi/*', async (_request, reply) =>
    reply
      .status(204)
      .header('access-control-allow-methods', 'GET, HEAD, POST, PUT, DELETE')
      .header('access-control-allow-headers', 'authorization, content-type, x-experience-api-version, if-match, if-none-match')
      .header('access-control-max-age', '600')
      .send(),
  );
  await app.register(xapiStatementRoutes);
  await app.register(xapiDocumentRoutes);
  await app.register(xapiLookupRoutes);
}
