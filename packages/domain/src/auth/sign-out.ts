import { type Db, refreshTokens } from '@hts/db';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock, RequestContext } from '../shared/deps.ts';
import { hashToken } from './session-tokens.ts';

/**
 * Revokes the session the refresh token belongs to (its whole family). Answers the same whether or not
 * the token was known, so it reveals nothing and can be retried safely.
 */
export async function signOut(deps: { db: Db; clock: Clock }, input: { refreshToken?: string; familyId?: string }, ctx: RequestContext): Promise<void> {
  const { db, clock } = deps;
  let familyId = input.familyId;
  let userId: string | undefined;
  if (input.refreshToken) {
    const [row] = await db
      .select({ familyId: refreshTokens.familyId, userId: refreshTokens.userId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashToken(input.refreshToken)));
    familyId = row?.familyId ?? familyId;
    userId = row?.userId;
  }
  if (!familyId) return;
  const revoked = await db
    .update(refreshTokens)
    .set({ revokedAt: clock.now(), revokedReason: 'sign_out' })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ userId: refreshTokens.userId });
  userId ??= revoked[0]?.userId;
  if (revoked.length > 0)
    await recordAudit(db, { action: 'auth.sign_out', outcome: 'success', actorUserId: userId ?? null, subjectType: 'session', subjectId: familyId }, ctx);
}
