import { type CredentialIdParams, type RevokeBody, routes, type VerifyCredentialBody } from '@hts/contracts';
import { credentialIssuerKeys } from '@hts/db';
import { type Actor, DomainError, getCredential, issuerProfile, listUserCredentials, revokeCredential, verifyCredential } from '@hts/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromContract } from './define.ts';

const notFound = () => new DomainError('not_found', 'no credential has this id', [{ field: '/params/id', message: 'no credential has this id' }]);

export async function credentialRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.services;
  const settings = () => app.services.credentials;
  // Verifying is public and cheap to ask for: generous, but bounded per address like sign-in.
  const verifyLimit = { max: app.authRateLimit.max * 10, timeWindow: app.authRateLimit.timeWindow };

  app.route({
    ...fromContract(app, routes.credentialIssuer),
    handler: async () => {
      const s = settings();
      const stored = await db.select().from(credentialIssuerKeys);
      // the current key first, even before it has signed anything
      const keys = [{ kid: s.signingKey.kid, publicJwk: s.signingKey.publicJwk }, ...stored.filter((k) => k.kid !== s.signingKey.kid)];
      return issuerProfile(s, keys);
    },
  });

  app.route({
    ...fromContract(app, routes.credentialDocument),
    handler: async (request: FastifyRequest<{ Params: CredentialIdParams }>, reply: FastifyReply) => {
      const view = await getCredential(db, settings(), request.params.id);
      if (!view) throw notFound();
      return reply.type('application/vc+ld+json; charset=utf-8').send(JSON.stringify(view.credential));
    },
  });

  app.route({
    ...fromContract(app, routes.credentialJwt),
    handler: async (request: FastifyRequest<{ Params: CredentialIdParams }>, reply: FastifyReply) => {
      const view = await getCredential(db, settings(), request.params.id);
      if (!view) throw notFound();
      return reply.type('application/vc+jwt').header('content-disposition', `attachment; filename="chung-chi-${view.id}.jwt"`).send(view.jwt);
    },
  });

  app.route({
    ...fromContract(app, routes.credentialSummary),
    handler: async (request: FastifyRequest<{ Params: CredentialIdParams }>) => {
      const view = await getCredential(db, settings(), request.params.id);
      if (!view) throw notFound();
      const { credential: _c, jwt: _j, ...summary } = view;
      return summary;
    },
  });

  app.route({
    ...fromContract(app, routes.verifyCredential),
    config: { rateLimit: verifyLimit },
    handler: async (request: FastifyRequest<{ Body: VerifyCredentialBody }>, reply: FastifyReply) => {
      const { credential: _payload, ...report } = await verifyCredential(
        db,
        settings(),
        request.body.credential as string | Record<string, unknown>,
        app.services.clock,
      );
      // what the credential says is shown only once its signature holds: a forged one says nothing
      const signed = report.checks.some((c) => c.check === 'signature' && c.ok);
      const view = signed && report.credentialId ? await getCredential(db, settings(), report.credentialId) : null;
      const summary = view ? (({ credential: _c, jwt: _j, ...rest }) => rest)(view) : null;
      if (report.valid) return reply.code(200).send({ ...report, summary });
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.check);
      return reply.code(422).send({ ...report, summary, code: 'credential_invalid', message: `the credential does not verify: ${failed.join(', ')}` });
    },
  });

  app.route({
    ...fromContract(app, routes.revokeCredential),
    handler: async (request: FastifyRequest<{ Params: CredentialIdParams; Body: RevokeBody }>) => {
      const result = await revokeCredential(db, request.actor as Actor, request.params.id, request.body.reason, app.services.clock, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      return { id: request.params.id, ...result };
    },
  });

  app.route({
    ...fromContract(app, routes.myCredentials),
    handler: async (request) => ({ credentials: await listUserCredentials(db, settings(), request.actor?.userId as string) }),
  });
}
