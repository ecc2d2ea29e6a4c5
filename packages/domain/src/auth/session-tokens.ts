import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Db, refreshTokens } from '@hts/db';
import type { AuthDeps, RequestContext } from '../shared/deps.ts';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  familyId: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Starts a refresh-token family (sign-in) or continues one (refresh). The refresh token is 256 random
 * bits shown once; only its hash is stored.
 */
export async function issueSession(
  deps: Pick<AuthDeps, 'clock' | 'tokens' | 'refreshTtlSeconds'> & { db: Pick<Db, 'insert'> },
  userId: string,
  ctx: RequestContext,
  family?: { familyId: string; parentId: string },
): Promise<IssuedSession> {
  const refreshToken = randomBytes(32).toString('base64url');
  const familyId = family?.familyId ?? randomUUID();
  const now = deps.clock.now();
  await deps.db.insert(refreshTokens).values({
    userId,
    familyId,
    parentId: family?.parentId ?? null,
    tokenHash: hashToken(refreshToken),
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.refreshTtlSeconds * 1000),
    userAgent: ctx.userAgent?.slice(0, 400) ?? null,
    ip: ctx.ip ?? null,
  });
  return {
    accessToken: deps.tokens.sign({ sub: userId, sid: familyId }),
    expiresIn: deps.tokens.ttlSeconds,
    refreshToken,
    refreshExpiresIn: deps.refreshTtlSeconds,
    familyId,
  };
}
