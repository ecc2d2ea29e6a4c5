import type { Role, RouteDef } from '@hts/contracts';
import {
  type Actor,
  agentIfi,
  authenticateLaunch,
  DomainError,
  hasAnyRole,
  isLaunchKey,
  type LrsPrincipal,
  loadActor,
  platformAgent,
  recordAudit,
} from '@hts/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    /** Set on /xapi routes: the LRS client or platform user calling, with its LRS scopes. */
    lrs: LrsPrincipal | null;
  }
  interface FastifyInstance {
    /** The home page of platform accounts in xAPI agents (and of LRS client authorities). */
    lrsHomePage: string;
    /** Checks LRS Basic credentials, remembering successes for a few seconds (see createLrsClientAuthenticator). */
    lrsAuthenticator: (key: string, secret: string) => Promise<LrsPrincipal | null>;
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

const basicChallenge = 'Basic realm="xAPI", charset="UTF-8"';

/**
 * LRS access: HTTP Basic with an LRS client's key and secret, or a platform user's bearer token. An admin
 * reads and writes everything; any other user writes and reads only statements about themselves.
 */
async function authenticateLrs(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization ?? '';
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = decoded.slice(0, colon);
    if (colon > 0 && isLaunchKey(key)) {
      // an activity's cmi5 launch token: checked on every request, so its expiry holds to the second
      request.lrs = await authenticateLaunch(app.services, app.lrsHomePage, key, decoded.slice(colon + 1)).catch((error: unknown) => {
        reply.header('www-authenticate', basicChallenge);
        throw error;
      });
      return;
    }
    const principal = colon > 0 ? await app.lrsAuthenticator(key, decoded.slice(colon + 1)) : null;
    if (!principal) {
      reply.header('www-authenticate', basicChallenge);
      throw new DomainError('invalid_credentials', 'the LRS key or secret is wrong');
    }
    request.lrs = principal;
    return;
  }
  if (scheme?.toLowerCase() !== 'bearer') {
    reply.header('www-authenticate', basicChallenge);
    throw new DomainError('unauthorized', 'send LRS credentials (HTTP Basic) or an access token');
  }
  await authenticate(app, request);
  const actor = request.actor as Actor;
  const agent = platformAgent(app.lrsHomePage, actor.userId);
  request.lrs = actor.roles.has('admin')
    ? { authorityKey: `user:${actor.userId}`, authority: agent, scopes: new Set(['all']) }
    : {
        authorityKey: `user:${actor.userId}`,
        authority: agent,
        scopes: new Set(['statements/write', 'statements/read/mine']),
        ownAgentIfi: agentIfi(agent) as string,
      };
}

/** The preHandler a route's declared access needs: none, any signed-in user, LRS credentials, or one of some roles. */
export function accessGuard(app: FastifyInstance, access: RouteDef['access']) {
  if (access === 'public') return undefined;
  if (access === 'lrs') return (request: FastifyRequest, reply: FastifyReply) => authenticateLrs(app, request, reply);
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
