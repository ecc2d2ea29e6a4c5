import { fieldError } from '../../shared/errors.ts';
import { agentIfi } from '../agents.ts';
import { isIri, isTimestamp, isUuid } from '../formats.ts';
import { LAUNCH_DATA_STATE, LEARNER_PREFERENCES, type LrsPrincipal } from '../principal.ts';
import { statementProblems } from '../validate-statement.ts';

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/** Which document (or, without `docId`, which set of documents) a request names. */
export interface DocumentKey {
  kind: DocumentKind;
  activityId: string;
  agentIfi: string;
  registration: string;
  docId: string | undefined;
}

/** The query parameters of the State, Activity Profile and Agent Profile resources. */
export interface DocumentQuery {
  activityId?: string;
  agent?: string;
  registration?: string;
  stateId?: string;
  profileId?: string;
  since?: string;
}

function agentParam(raw: string | undefined): string {
  if (raw === undefined) throw fieldError('validation_failed', '/querystring/agent', 'is required');
  let agent: unknown;
  try {
    agent = JSON.parse(raw);
  } catch {
    throw fieldError('validation_failed', '/querystring/agent', 'must be an Agent as JSON');
  }
  const ifi = agentIfi(agent);
  const problems = statementProblems({ actor: agent, verb: { id: 'urn:x' }, object: { id: 'urn:x' } }, '');
  if (problems.length > 0 || !ifi) throw fieldError('validation_failed', '/querystring/agent', 'must be an Agent with exactly one identifier');
  return ifi;
}

function activityParam(raw: string | undefined): string {
  if (raw === undefined) throw fieldError('validation_failed', '/querystring/activityId', 'is required');
  if (!isIri(raw)) throw fieldError('validation_failed', '/querystring/activityId', 'must be an IRI');
  return raw;
}

/** Reads and checks the parameters a document resource needs; `since` only when listing. */
export function documentKey(kind: DocumentKind, q: DocumentQuery): DocumentKey & { since: Date | undefined } {
  const idName = kind === 'state' ? 'stateId' : 'profileId';
  const docId = kind === 'state' ? q.stateId : q.profileId;
  if (q.since !== undefined && !isTimestamp(q.since))
    throw fieldError('validation_failed', '/querystring/since', 'must be an ISO 8601 timestamp with a time zone');
  if (q.since !== undefined && docId !== undefined) throw fieldError('validation_failed', '/querystring/since', `cannot be combined with ${idName}`);
  if (q.registration !== undefined && (kind !== 'state' || !isUuid(q.registration)))
    throw fieldError('validation_failed', '/querystring/registration', kind === 'state' ? 'must be a UUID' : 'is not a parameter of this resource');
  return {
    kind,
    activityId: kind === 'agent_profile' ? '' : activityParam(q.activityId),
    agentIfi: kind === 'activity_profile' ? '' : agentParam(q.agent),
    registration: q.registration?.toLowerCase() ?? '',
    docId,
    since: q.since ? new Date(q.since) : undefined,
  };
}

/** Platform users reach only documents about themselves, and read activity profiles. */
export function requireDocumentAccess(principal: LrsPrincipal, key: DocumentKey, write: boolean): void {
  const own = principal.ownAgentIfi;
  const scopes = principal.scopes;
  const full = scopes.has('all') || scopes.has('statements/write');
  if (write && !full) throw fieldError('forbidden', '/querystring', 'these credentials may not write documents');
  if (!write && !full && !scopes.has('all/read') && !scopes.has('statements/read/mine'))
    throw fieldError('forbidden', '/querystring', 'these credentials may not read documents');
  if (principal.launch) requireLaunchDocument(principal.launch, key, write);
  if (!own) return;
  if (key.kind === 'activity_profile' ? write : key.agentIfi !== own)
    throw fieldError('forbidden', key.kind === 'activity_profile' ? '/querystring/activityId' : '/querystring/agent', 'you may only reach your own documents');
}

/**
 * A launch token reaches the state of its own activity and registration (everything but the launch data,
 * which it may only read), reads that activity's profile and the learner preferences, and nothing more.
 */
function requireLaunchDocument(launch: NonNullable<LrsPrincipal['launch']>, key: DocumentKey, write: boolean): void {
  const refuse = (field: string, message: string) => {
    throw fieldError('forbidden', field, message);
  };
  if (key.kind === 'agent_profile') {
    if (write || key.docId !== LEARNER_PREFERENCES) refuse('/querystring/profileId', `this launch may only read ${LEARNER_PREFERENCES}`);
    return;
  }
  if (key.activityId !== launch.activityId) refuse('/querystring/activityId', 'this launch reaches only the activity it launched');
  if (key.kind === 'activity_profile') {
    if (write) refuse('/querystring/activityId', 'this launch may not change the activity profile');
    return;
  }
  if (key.registration !== launch.registration) refuse('/querystring/registration', 'this launch reaches only its own registration');
  if (write && (key.docId === undefined || key.docId === LAUNCH_DATA_STATE))
    refuse('/querystring/stateId', `the platform's ${LAUNCH_DATA_STATE} is read-only for the activity`);
}
