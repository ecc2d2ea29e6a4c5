import type { Role } from '@hts/contracts';
import { type Db, geoUnits, inlineText, refreshTokens, userRoleScopes, userRoles, users } from '@hts/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../shared/errors.ts';

/** The signed-in user as access checks need them: roles and the commune ids each role covers. */
export interface Actor {
  userId: string;
  roles: Set<Role>;
  /** Per scoped role: 'all' (province scope) or the commune ids covered. */
  scopes: Map<Role, 'all' | Set<string>>;
}

/**
 * Read from the database on every request, so a revoked role stops working at once, not at token expiry.
 * One query on this hot path: the user's status, roles and scopes, and whether the token's session is
 * still live (a signed-out or reuse-revoked session stops its access tokens at once, not when they expire).
 */
export async function loadActor(db: Db, userId: string, sessionId?: string): Promise<Actor> {
  // the ids are written into the query (inlineText), not sent as parameters: postgres.js sends a query with
  // parameters in two round trips, and this one runs before every authenticated request
  const user = inlineText(userId);
  const sessionLive = sessionId
    ? sql<boolean>`exists (select 1 from ${refreshTokens} where ${and(eq(refreshTokens.familyId, inlineText(sessionId)), eq(refreshTokens.userId, user), isNull(refreshTokens.revokedAt))})`
    : sql<boolean>`true`;
  const rows = await db
    .select({ role: userRoles.role, geoId: geoUnits.id, geoType: geoUnits.type, status: users.status, sessionLive })
    .from(users)
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .leftJoin(userRoleScopes, eq(userRoleScopes.userRoleId, userRoles.id))
    .leftJoin(geoUnits, eq(geoUnits.id, userRoleScopes.geoUnitId))
    .where(eq(users.id, user));
  if (rows[0] && !rows[0].sessionLive) throw new DomainError('token_invalid', 'this session has ended; sign in again');
  if (rows.length === 0 || rows[0]?.status !== 'active') throw new DomainError('token_invalid', 'the account no longer exists or is disabled');
  const actor: Actor = { userId, roles: new Set(), scopes: new Map() };
  for (const r of rows) {
    if (!r.role) continue;
    actor.roles.add(r.role);
    if (!r.geoId) continue;
    const current = actor.scopes.get(r.role);
    if (r.geoType === 'province' || current === 'all') {
      actor.scopes.set(r.role, 'all');
      continue;
    }
    const set = current instanceof Set ? current : new Set<string>();
    set.add(r.geoId);
    actor.scopes.set(r.role, set);
  }
  return actor;
}

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return roles.some((r) => actor.roles.has(r));
}

export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!hasAnyRole(actor, roles)) throw new DomainError('forbidden', `this needs one of the roles: ${roles.join(', ')}`);
}

/** Does any of the given roles of the actor cover this commune? */
export function coversCommune(actor: Actor, roles: readonly Role[], communeId: string): boolean {
  return roles.some((role) => {
    const scope = actor.scopes.get(role);
    return scope === 'all' || (scope instanceof Set && scope.has(communeId));
  });
}

export function requireCommuneScope(actor: Actor, roles: readonly Role[], communeId: string): void {
  if (actor.roles.has('admin')) return;
  if (!coversCommune(actor, roles, communeId)) throw new DomainError('forbidden', 'this commune is outside your scope');
}
