import { routes } from '@hts/contracts';
import { type DocumentKind, type DocumentQuery, deleteDocuments, type LrsPrincipal, readDocuments, writeDocument } from '@hts/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromContract } from '../define.ts';
import { contentTypeOf, header, rawBody } from './body.ts';

type DocRequest = FastifyRequest<{ Querystring: DocumentQuery }>;

const resources = [
  { kind: 'state', get: routes.xapiStateGet, put: routes.xapiStatePut, post: routes.xapiStatePost, delete: routes.xapiStateDelete },
  {
    kind: 'activity_profile',
    get: routes.xapiActivityProfileGet,
    put: routes.xapiActivityProfilePut,
    post: routes.xapiActivityProfilePost,
    delete: routes.xapiActivityProfileDelete,
  },
  {
    kind: 'agent_profile',
    get: routes.xapiAgentProfileGet,
    put: routes.xapiAgentProfilePut,
    post: routes.xapiAgentProfilePost,
    delete: routes.xapiAgentProfileDelete,
  },
] as const;

/** State, Activity Profile and Agent Profile: the same four handlers over one document store. */
export async function xapiDocumentRoutes(app: FastifyInstance): Promise<void> {
  for (const r of resources) {
    const kind: DocumentKind = r.kind;
    const write = (mode: 'put' | 'post') => async (request: DocRequest, reply: FastifyReply) => {
      const { etag } = await writeDocument(app.services, request.lrs as LrsPrincipal, kind, request.query, mode, {
        content: rawBody(request),
        contentType: contentTypeOf(request),
        ifMatch: header(request, 'if-match'),
        ifNoneMatch: header(request, 'if-none-match'),
      });
      return reply.status(204).header('etag', etag).send();
    };

    app.route({
      ...fromContract(app, r.get),
      handler: async (request: DocRequest, reply) => {
        const answer = await readDocuments(app.services.db, request.lrs as LrsPrincipal, kind, request.query);
        if (answer.kind === 'ids') {
          if (answer.updated) reply.header('last-modified', answer.updated.toUTCString());
          return answer.ids;
        }
        reply.header('content-type', answer.contentType).header('etag', answer.etag).header('last-modified', answer.updated.toUTCString());
        return reply.send(Buffer.from(answer.content));
      },
    });
    app.route({ ...fromContract(app, r.put), handler: write('put') });
    app.route({ ...fromContract(app, r.post), handler: write('post') });
    app.route({
      ...fromContract(app, r.delete),
      handler: async (request: DocRequest, reply) => {
        await deleteDocuments(app.services.db, request.lrs as LrsPrincipal, kind, request.query, header(request, 'if-match'));
        return reply.status(204).send();
      },
    });
  }
}
