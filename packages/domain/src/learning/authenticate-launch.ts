import { timingSafeEqual } from 'node:crypto';
import { type Db, externalLaunches } from '@hts/db';
import { eq } from 'drizzle-orm';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { agentIfi, platformAgent } from '../xapi/agents.ts';
import type { LrsPrincipal } from '../xapi/principal.ts';
import { LAUNCH_KEY_PREFIX } from './fetch-launch-token.ts';
import { hashSecret } from './launch-external.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isLaunchKey = (key: string) => key.startsWith(LAUNCH_KEY_PREFIX);

/**
 * The LRS principal of a launch token (`launch.<id>` : secret, from the fetch URL): the learner's own agent,
 * limited to the launched activity and registration (see requireLaunchDocument and refuseLaunchToken).
 * A wrong or unfetched token is 401, and so is one past its expiry; a session that ended ("terminated" by
 * the activity, or "abandoned" by the platform) is 403, naming the session.
 */
export async function authenticateLaunch(deps: { db: Db; clock: Clock }, homePage: string, key: string, secret: string): Promise<LrsPrincipal> {
  const id = key.slice(LAUNCH_KEY_PREFIX.length);
  const [launch] = UUID.test(id) ? await deps.db.select().from(externalLaunches).where(eq(externalLaunches.id, id)) : [];
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(launch?.tokenHash ?? '');
  if (!launch?.expiresAt || given.length !== stored.length || !timingSafeEqual(given, stored))
    throw new DomainError('invalid_credentials', 'this launch token is not valid');
  if (launch.expiresAt.getTime() <= deps.clock.now().getTime())
    throw new DomainError('token_invalid', 'this launch token has expired: open the lesson again to launch the activity anew');
  if (launch.endedAt)
    throw new DomainError(
      'forbidden',
      launch.endedAs === 'terminated'
        ? `cmi5 session ${launch.id} has ended (the activity sent "terminated"): it may not write any more; open the lesson again for a new session`
        : `cmi5 session ${launch.id} was abandoned (it ran past its time without "terminated"): open the lesson again for a new session`,
    );
  const agent = platformAgent(homePage, launch.userId);
  return {
    authorityKey: `user:${launch.userId}`,
    authority: agent,
    scopes: new Set(['statements/write', 'statements/read/mine']),
    ownAgentIfi: agentIfi(agent) as string,
    launch: {
      id: launch.id,
      activityId: launch.activityId,
      registration: launch.enrolmentId ?? launch.id,
      launchMode: launch.launchMode === 'Review' ? 'Review' : 'Normal',
      preview: launch.preview,
    },
  };
}
