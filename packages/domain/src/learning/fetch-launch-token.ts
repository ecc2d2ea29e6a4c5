import { randomBytes } from 'node:crypto';
import { type Db, externalLaunches } from '@hts/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../shared/deps.ts';
import { hashSecret, LAUNCH_TOKEN_SECONDS } from './launch-external.ts';

/** What the fetch URL answers (cmi5 §8.2): always HTTP 200, either the token or an error code. */
export type FetchAnswer = { 'auth-token': string } | { 'error-code': '1' | '2' | '3'; 'error-text': string };

/** The Basic-auth user name of a launch token: tells it apart from LRS client keys. */
export const LAUNCH_KEY_PREFIX = 'launch.';

/**
 * The one-time fetch of a launch's auth token: the first POST with the right code, before the fetch URL
 * expires, gets a token (an HTTP Basic credential); any later call gets error 1, a wrong code error 2.
 * The update is conditional, so two calls racing cannot both get a token.
 */
export async function fetchLaunchToken(deps: { db: Db; clock: Clock }, launchId: string, code: string): Promise<FetchAnswer> {
  const now = deps.clock.now();
  const secret = randomBytes(32).toString('base64url');
  const [fetched] = await deps.db
    .update(externalLaunches)
    .set({ fetchedAt: now, tokenHash: hashSecret(secret), expiresAt: new Date(now.getTime() + LAUNCH_TOKEN_SECONDS * 1000) })
    .where(
      and(
        eq(externalLaunches.id, launchId),
        eq(externalLaunches.fetchCodeHash, hashSecret(code)),
        isNull(externalLaunches.fetchedAt),
        isNull(externalLaunches.endedAt),
        gt(externalLaunches.fetchBy, now),
      ),
    )
    .returning({ id: externalLaunches.id });
  if (fetched) return { 'auth-token': Buffer.from(`${LAUNCH_KEY_PREFIX}${launchId}:${secret}`).toString('base64') };
  const [launch] = await deps.db
    .select({ codeHash: externalLaunches.fetchCodeHash, fetchedAt: externalLaunches.fetchedAt, endedAt: externalLaunches.endedAt })
    .from(externalLaunches)
    .where(eq(externalLaunches.id, launchId));
  if (!launch || launch.codeHash !== hashSecret(code)) return { 'error-code': '2', 'error-text': 'this fetch URL is not valid' };
  return {
    'error-code': '1',
    'error-text': launch.fetchedAt
      ? 'the authorization token has already been returned'
      : launch.endedAt
        ? 'this launch has ended: open the lesson again'
        : 'this launch has expired: open the lesson again',
  };
}
