import type { Readable } from 'node:stream';
import {
  type CreateUploadBody,
  type MediaIdParams,
  routes,
  type SignedQuery,
  type UploadPartParams,
  type UploadSessionParams,
  type VariantParams,
} from '@hts/contracts';
import {
  type Actor,
  abortUpload,
  completeUpload,
  createUploadSession,
  deleteMedia,
  getMasterPlaylist,
  getMedia,
  getPlayback,
  getUploadSession,
  getVariantPlaylist,
  listMedia,
  type MediaDeps,
  retranscodeMedia,
  uploadPart,
} from '@hts/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromContract } from './define.ts';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

export async function mediaRoutes(app: FastifyInstance): Promise<void> {
  const deps = (): MediaDeps => ({ db: app.services.db, store: app.services.objectStore, clock: app.services.clock, media: app.services.media });

  // Upload parts arrive as raw bytes: hand the request stream on untouched, so a part flows to the
  // object store as it arrives and is never buffered whole (this plugin's scope only).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.route({
    ...fromContract(app, routes.mediaCreateUpload),
    handler: async (request: FastifyRequest<{ Body: CreateUploadBody }>, reply) =>
      reply.status(201).send(await createUploadSession(deps(), request.actor as Actor, request.body)),
  });

  app.route({
    ...fromContract(app, routes.mediaUploadPart),
    handler: async (request: FastifyRequest<{ Params: UploadPartParams }>) => {
      const length = request.headers['content-length'];
      return uploadPart(deps(), request.actor as Actor, request.params.sessionId, {
        partNumber: request.params.partNumber,
        body: request.body as Readable,
        ...(length !== undefined && /^[0-9]+$/.test(length) ? { contentLength: Number(length) } : {}),
      });
    },
  });

  app.route({
    ...fromContract(app, routes.mediaGetUpload),
    handler: async (request: FastifyRequest<{ Params: UploadSessionParams }>) => getUploadSession(deps(), request.actor as Actor, request.params.sessionId),
  });

  app.route({
    ...fromContract(app, routes.mediaCompleteUpload),
    handler: async (request: FastifyRequest<{ Params: UploadSessionParams }>) => completeUpload(deps(), request.actor as Actor, request.params.sessionId),
  });

  app.route({
    ...fromContract(app, routes.mediaAbortUpload),
    handler: async (request: FastifyRequest<{ Params: UploadSessionParams }>, reply) => {
      await abortUpload(deps(), request.actor as Actor, request.params.sessionId);
      return reply.status(204).send();
    },
  });

  app.route({
    ...fromContract(app, routes.mediaList),
    handler: async (request) => listMedia(deps(), request.actor as Actor),
  });

  app.route({
    ...fromContract(app, routes.mediaGet),
    handler: async (request: FastifyRequest<{ Params: MediaIdParams }>) => getMedia(deps(), request.actor as Actor, request.params.id),
  });

  app.route({
    ...fromContract(app, routes.mediaDelete),
    handler: async (request: FastifyRequest<{ Params: MediaIdParams }>, reply) => {
      await deleteMedia(deps(), request.actor as Actor, request.params.id);
      return reply.status(204).send();
    },
  });

  app.route({
    ...fromContract(app, routes.mediaRetranscode),
    handler: async (request: FastifyRequest<{ Params: MediaIdParams }>) => retranscodeMedia(deps(), request.actor as Actor, request.params.id),
  });

  app.route({
    ...fromContract(app, routes.mediaPlayback),
    handler: async (request: FastifyRequest<{ Params: MediaIdParams }>) => getPlayback(deps(), request.actor as Actor, request.params.id),
  });

  app.route({
    ...fromContract(app, routes.mediaMasterPlaylist),
    handler: async (request: FastifyRequest<{ Params: MediaIdParams }>, reply) => {
      const playlist = await getMasterPlaylist(deps(), request.actor as Actor, request.params.id);
      // It holds signed links for this viewer: no shared cache may keep it.
      return reply.type(PLAYLIST_TYPE).header('cache-control', 'private, no-store').send(playlist);
    },
  });

  app.route({
    ...fromContract(app, routes.mediaVariantPlaylist),
    handler: async (request: FastifyRequest<{ Params: VariantParams; Querystring: SignedQuery }>, reply) => {
      const playlist = await getVariantPlaylist(deps(), request.params.id, request.params.name, request.query);
      return reply.type(PLAYLIST_TYPE).header('cache-control', 'private, no-store').send(playlist);
    },
  });
}
