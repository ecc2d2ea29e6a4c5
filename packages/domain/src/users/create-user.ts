import type { CreateUserBody, Me } from '@hts/contracts';
import { users } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkContactFields, mapUniqueViolation } from '../auth/contact-fields.ts';
import { hashPassword } from '../auth/passwords.ts';
import { findCommuneId, findTargetGroupId } from '../reference/lookups.ts';
import type { AuthDeps, RequestContext } from '../shared/deps.ts';
import { resolveRoleGrants, writeRoleGrants } from './role-grants.ts';
import { loadUserView } from './user-view.ts';

/** Admin creates an account for staff (trainer, branch reviewer, officer, admin) or on a citizen's behalf. */
export async function createUser(deps: Pick<AuthDeps, 'db'>, actor: Actor, input: CreateUserBody, ctx: RequestContext): Promise<Me> {
  requireRole(actor, ['admin']);
  const { db } = deps;
  const contact = await checkContactFields(db, input);
  const communeId = input.communeCode ? await findCommuneId(db, input.communeCode, '/body/communeCode') : null;
  const targetGroupId = input.targetGroupCode ? await findTargetGroupId(db, input.targetGroupCode, '/body/targetGroupCode') : null;
  const grants = await resolveRoleGrants(db, input.roles, '/body/roles');
  const passwordHash = await hashPassword(input.password);
  const userId = await db
    .transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ ...contact, fullName: input.fullName.trim().normalize('NFC'), birthYear: input.birthYear ?? null, communeId, targetGroupId, passwordHash })
        .returning({ id: users.id });
      if (!user) throw new Error('user insert returned nothing');
      await writeRoleGrants(tx, user.id, grants, actor.userId);
      await recordAudit(
        tx,
        { action: 'user.create', outcome: 'success', actorUserId: actor.userId, subjectType: 'user', subjectId: user.id, details: { roles: input.roles } },
        ctx,
      );
      await recordAudit(
        tx,
        {
          action: 'user.roles_change',
          outcome: 'success',
          actorUserId: actor.userId,
          subjectType: 'user',
          subjectId: user.id,
          details: { before: [], after: input.roles },
        },
        ctx,
      );
      return user.id;
    })
    .catch(mapUniqueViolation);
  return loadUserView(db, userId);
}
