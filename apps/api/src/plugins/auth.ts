import type { Role, RouteDef } from '@hts/contracts';
import { type Actor, DomainError, hasAnyRole, loadActor, recordAudit } from '@hts/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; sid: string };
    user: { sub: string; sid: string };
  }
}

export function requestContext(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** Verifies the bearer token (if any) and loads the actor from the database. */
async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (!header) throw new DomainError('unauthorized', 'sign in first: this needs an access token');
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw new DomainError('unauthorized', 'send the access token as "Authorization: Bearer <token>"');
  let claims: { sub: string; sid: string };
  try {
    claims = app.jwt.verify<{ sub: string; sid: string }>(token);
  } catch (error) {
    const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
    throw new DomainError('token_invalid', expired ? 'the access token has expired; refresh it' : 'the access token is not valid');
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw new DomainError('token_invalid', 'the access token is not valid');
  request.actor = await loadActor(app.services.db, claims.sub, claims.sid);
  request.sessionId = claims.sid;
}

/** The preHandler a route's declared access needs: none, any signed-in user, or one of some roles. */
export function accessGuard(app: FastifyInstance, access: RouteDef['access']) {
  if (access === 'public') return undefined;
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    await authenticate(app, request);
    if (access === 'user') return;
    const actor = request.actor as Actor;
    if (!hasAnyRole(actor, access as readonly Role[])) {
      await recordAudit(
        app.services.db,
        {
          action: 'auth.permission_denied',
          outcome: 'denied',
          actorUserId: actor.userId,
          subjectType: 'route',
          subjectId: `${request.method} ${request.routeOptions.url}`,
          details: { needs: access },
        },
        requestContext(request),
      );
      throw new DomainError('forbidden', `this needs one of the roles: ${(access as readonly Role[]).join(', ')}`);
    }
  };
}

/** Reads a bearer token when present, without requiring one (sign-out accepts either token). */
export async function optionalClaims(app: FastifyInstance, request: FastifyRequest): Promise<{ sub: string; sid: string } | null> {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    return app.jwt.verify<{ sub: string; sid: string }>(token);
  } catch {
    return null;
  }
}
