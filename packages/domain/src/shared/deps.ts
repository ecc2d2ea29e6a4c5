import type { Db } from '@hts/db';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Who is asking and from where: written to the audit log. */
export interface RequestContext {
  ip?: string | null;
  userAgent?: string | null;
}

export interface AccessTokenSigner {
  sign(claims: { sub: string; sid: string }): string;
  ttlSeconds: number;
}

export interface AuthDeps {
  db: Db;
  clock: Clock;
  tokens: AccessTokenSigner;
  refreshTtlSeconds: number;
  signInThrottle: { maxFailures: number; windowSeconds: number };
}
