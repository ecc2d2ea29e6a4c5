import type { RegisterBody, TokenPair } from '@hts/contracts';
import { userRoles, users } from '@hts/db';
import { recordAudit } from '../audit/record-audit.ts';
import { findCommuneId, findTargetGroupId } from '../reference/lookups.ts';
import { linkRegistryPeople } from '../registry/link-users.ts';
import type { AuthDeps, RequestContext } from '../shared/deps.ts';
import { fieldError } from '../shared/errors.ts';
import { loadUserView } from '../users/user-view.ts';
import { checkContactFields, mapUniqueViolation } from './contact-fields.ts';
import { hashPassword } from './passwords.ts';
import { issueSession } from './session-tokens.ts';

export async function registerCitizen(deps: AuthDeps, input: RegisterBody, ctx: RequestContext): Promise<TokenPair> {
  const { db, clock } = deps;
  const year = clock.now().getUTCFullYear();
  if (input.birthYear > year - 10) throw fieldError('validation_failed', '/body/birthYear', `birth year must be ${year - 10} or earlier`);
  const fullName = input.fullName.trim().normalize('NFC').replace(/\s+/g, ' ');
  if (fullName.length < 2) throw fieldError('validation_failed', '/body/fullName', 'must have at least 2 letters');
  const contact = await checkContactFields(db, input);
  const communeId = await findCommuneId(db, input.communeCode, '/body/communeCode');
  const targetGroupId = await findTargetGroupId(db, input.targetGroupCode, '/body/targetGroupCode');
  const passwordHash = await hashPassword(input.password);

  const session = await db
    .transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ ...contact, fullName, birthYear: input.birthYear, communeId, targetGroupId, passwordHash })
        .returning({ id: users.id });
      if (!user) throw new Error('user insert returned nothing');
      await tx.insert(userRoles).values({ userId: user.id, role: 'citizen' });
      await recordAudit(tx, { action: 'auth.register', outcome: 'success', actorUserId: user.id, subjectType: 'user', subjectId: user.id }, ctx);
      return { userId: user.id, ...(await issueSession({ ...deps, db: tx }, user.id, ctx)) };
    })
    .catch(mapUniqueViolation);
  await linkRegistryPeople(db, { userId: session.userId, now: clock.now() });
  return toTokenPair(session, await loadUserView(db, session.userId));
}

export function toTokenPair(s: { accessToken: string; expiresIn: number; refreshToken: string; refreshExpiresIn: number }, user: TokenPair['user']): TokenPair {
  return { tokenType: 'Bearer', accessToken: s.accessToken, expiresIn: s.expiresIn, refreshToken: s.refreshToken, refreshExpiresIn: s.refreshExpiresIn, user };
}
