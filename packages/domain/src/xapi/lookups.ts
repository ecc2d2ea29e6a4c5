import { type Db, xapiStatements } from '@hts/db';
import { desc, eq } from 'drizzle-orm';
import { fieldError } from '../shared/errors.ts';
import { agentIfi, type JsonObject } from './agents.ts';
import { isIri } from './formats.ts';
import { type LrsPrincipal, refuseLaunchToken, requireRead } from './principal.ts';
import { statementProblems } from './validate-statement.ts';

/** GET /xapi/activities: the Activity with the definition it was last sent with (or just its id). */
export async function getActivity(db: Db, principal: LrsPrincipal, activityId: string | undefined): Promise<JsonObject> {
  requireRead(principal);
  refuseLaunchToken(principal, 'look up activities');
  if (!isIri(activityId)) throw fieldError('validation_failed', '/querystring/activityId', 'is required and must be an IRI');
  const [row] = await db
    .select({ object: xapiStatements.statement })
    .from(xapiStatements)
    .where(eq(xapiStatements.activityId, activityId))
    .orderBy(desc(xapiStatements.stored))
    .limit(1);
  const definition = (row?.object.object as JsonObject | undefined)?.definition;
  return { objectType: 'Activity', id: activityId, ...(definition ? { definition } : {}) };
}

/** GET /xapi/agents: the Person object for an Agent; this LRS knows each agent by one identifier. */
export function getPerson(principal: LrsPrincipal, agentJson: string | undefined): JsonObject {
  requireRead(principal);
  refuseLaunchToken(principal, 'look up agents');
  let agent: JsonObject | undefined;
  try {
    agent = JSON.parse(agentJson ?? '');
  } catch {}
  if (!agent || !agentIfi(agent) || statementProblems({ actor: agent, verb: { id: 'urn:x' }, object: { id: 'urn:x' } }, '').length > 0)
    throw fieldError('validation_failed', '/querystring/agent', 'is required and must be an Agent as JSON');
  const person: JsonObject = { objectType: 'Person' };
  for (const k of ['name', 'mbox', 'mbox_sha1sum', 'openid', 'account'] as const) if (agent[k] !== undefined) person[k] = [agent[k]];
  return person;
}
