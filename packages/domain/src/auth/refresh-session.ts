import type { TokenPair } from '@hts/contracts';
import { refreshTokens, users } from '@hts/db';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { AuthDeps, RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { loadUserView } from '../users/user-view.ts';
import { toTokenPair } from './register-citizen.ts';
import { hashToken, issueSession } from './session-tokens.ts';

const rejected = () => new DomainError('token_invalid', 'the refresh token is not valid; sign in again');

/**
 * Rotation with reuse detection: the presented token is marked used in the same statement that checks
 * it is still unused, so two racing refreshes cannot both win. A token that was already used means a
 * copy exists somewhere else: the whole family is revoked and the holder must sign in again.
 */
export async function refreshSession(deps: AuthDeps, refreshToken: string, ctx: RequestContext): Promise<TokenPair> {
  const { db, clock } = deps;
  const now = clock.now();
  const tokenHash = hashToken(refreshToken);
  const result = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
      .returning();
    if (claimed) {
      if (claimed.expiresAt <= now) return { kind: 'expired' as const };
      const [user] = await tx.select({ status: users.status }).from(users).where(eq(users.id, claimed.userId));
      if (user?.status !== 'active') return { kind: 'disabled' as const };
      await recordAudit(
        tx,
        { action: 'auth.refresh', outcome: 'success', actorUserId: claimed.userId, subjectType: 'session', subjectId: claimed.familyId },
        ctx,
      );
      const issued = await issueSession({ ...deps, db: tx }, claimed.userId, ctx, { familyId: claimed.familyId, parentId: claimed.id });
      return { kind: 'ok' as const, userId: claimed.userId, issued };
    }
    const [known] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
    if (known?.usedAt && !known.revokedAt) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now, revokedReason: 'reuse_detected' })
        .where(and(eq(refreshTokens.familyId, known.familyId), isNull(refreshTokens.revokedAt)));
      await recordAudit(
        tx,
        {
          action: 'auth.refresh_reuse',
          outcome: 'denied',
          actorUserId: known.userId,
          subjectType: 'session',
          subjectId: known.familyId,
          details: { tokenId: known.id },
        },
        ctx,
      );
      return { kind: 'reused' as const };
    }
    return { kind: 'unknown' as const };
  });
  if (result.kind !== 'ok') throw rejected();
  return toTokenPair(result.issued, await loadUserView(db, result.userId));
}
