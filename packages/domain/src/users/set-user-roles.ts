import type { Me, SetRolesBody } from '@hts/contracts';
import { type Db, users } from '@hts/db';
import { eq } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { resolveRoleGrants, writeRoleGrants } from './role-grants.ts';
import { loadUserView } from './user-view.ts';

export async function setUserRoles(deps: { db: Db }, actor: Actor, userId: string, input: SetRolesBody, ctx: RequestContext): Promise<Me> {
  requireRole(actor, ['admin']);
  const { db } = deps;
  const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!exists) throw new DomainError('not_found', 'no user has this id', [{ field: '/params/id', message: 'no user has this id' }]);
  // An admin removing their own admin role could leave the platform with nobody to manage it.
  if (userId === actor.userId && !input.roles.some((r) => r.role === 'admin')) {
    throw new DomainError('validation_failed', 'you cannot remove your own admin role', [
      { field: '/body/roles', message: 'keep the admin role on your own account' },
    ]);
  }
  const before = (await loadUserView(db, userId)).roles.map((g) => ({ role: g.role, scopeCodes: g.scope.map((s) => s.code) }));
  const grants = await resolveRoleGrants(db, input.roles, '/body/roles');
  await db.transaction(async (tx) => {
    await writeRoleGrants(tx, userId, grants, actor.userId);
    await recordAudit(
      tx,
      {
        action: 'user.roles_change',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'user',
        subjectId: userId,
        details: { before, after: input.roles },
      },
      ctx,
    );
  });
  return loadUserView(db, userId);
}
