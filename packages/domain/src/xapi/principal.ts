import { DomainError } from '../shared/errors.ts';
import type { JsonObject } from './agents.ts';

export const lrsScopes = ['statements/write', 'statements/read/mine', 'all/read', 'all'] as const;
export type LrsScope = (typeof lrsScopes)[number];

/** Who is calling the LRS: an LRS client (Basic auth) or a platform user (bearer token). */
export interface LrsPrincipal {
  /** `client:<id>` or `user:<id>`: stored with each statement so "read mine" can find them. */
  authorityKey: string;
  /** The authority the LRS writes into every statement it stores for this caller. */
  authority: JsonObject;
  scopes: ReadonlySet<LrsScope>;
  /** Platform users may only write statements about themselves and read their own. */
  ownAgentIfi?: string;
  /**
   * A cmi5 launch token: it acts only for this activity and registration, and may not read statements,
   * look up agents or activities, void, or change the launch data the platform wrote (403 beyond that).
   */
  launch?: LaunchSession;
}

/** The cmi5 session a launch token acts in (its id is the sessionid the platform's statements carry). */
export interface LaunchSession {
  id: string;
  activityId: string;
  registration: string;
  /** Review: the lesson was completed before this launch; nothing the session sends changes the record. */
  launchMode: 'Normal' | 'Review';
  /** A trainer's preview: nothing it sends counts as learning. */
  preview: boolean;
}

/** The state document the platform writes before a launch; the activity must not change it (cmi5 §10). */
export const LAUNCH_DATA_STATE = 'LMS.LaunchData';
/** The learner preferences an activity reads at start (cmi5 §11); a launch token reads only this agent profile. */
export const LEARNER_PREFERENCES = 'cmi5LearnerPreferences';

export function refuseLaunchToken(p: LrsPrincipal, what: string): void {
  if (p.launch) throw new DomainError('forbidden', `an activity's launch token may not ${what}`);
}

export const canReadAll = (p: LrsPrincipal) => p.scopes.has('all') || p.scopes.has('all/read');
export const canWrite = (p: LrsPrincipal) => p.scopes.has('all') || p.scopes.has('statements/write');
export const canReadMine = (p: LrsPrincipal) => canReadAll(p) || p.scopes.has('statements/read/mine');

export function requireWrite(p: LrsPrincipal): void {
  if (!canWrite(p)) throw new DomainError('forbidden', 'these credentials may not write to the LRS (scope statements/write or all needed)');
}

export function requireRead(p: LrsPrincipal): void {
  if (!canReadMine(p)) throw new DomainError('forbidden', 'these credentials may not read statements (scope statements/read/mine, all/read or all needed)');
}

const TERMINATED = 'http://adlnet.gov/expapi/verbs/terminated';
/** The verbs that decide an AU's outcome: an AU in Review (or Browse) mode must not send them (cmi5 §10.2.2). */
const OUTCOME_VERBS = new Set(['http://adlnet.gov/expapi/verbs/completed', 'http://adlnet.gov/expapi/verbs/passed', 'http://adlnet.gov/expapi/verbs/failed']);

const verbOf = (s: unknown): unknown =>
  typeof s === 'object' && s !== null && typeof (s as { verb?: unknown }).verb === 'object' ? (s as { verb: { id?: unknown } }).verb?.id : undefined;

/**
 * What a launch token may send in its session, checked before anything is stored (cmi5 §9.3): nothing after
 * its "terminated" (in the same batch; a later request is refused at sign-in, see authenticateLaunch), and in
 * a Review session no completed, passed or failed (403, naming the statement and the session).
 */
export function checkLaunchStatements(p: LrsPrincipal, body: unknown): void {
  const launch = p.launch;
  if (!launch) return;
  const list = Array.isArray(body) ? body : [body];
  const path = (i: number) => (Array.isArray(body) ? `/body/${i}` : '/body');
  const terminatedAt = list.findIndex((s) => verbOf(s) === TERMINATED);
  if (terminatedAt >= 0 && terminatedAt < list.length - 1)
    throw new DomainError('forbidden', `cmi5 session ${launch.id} ends with its "terminated" statement: nothing may follow it`, [
      { field: path(terminatedAt + 1), message: `comes after "terminated" in session ${launch.id}` },
    ]);
  if (launch.launchMode !== 'Normal') {
    const i = list.findIndex((s) => OUTCOME_VERBS.has(verbOf(s) as string));
    if (i >= 0)
      throw new DomainError(
        'forbidden',
        `cmi5 session ${launch.id} was launched in ${launch.launchMode} mode: the lesson is already completed, so it may not send completed, passed or failed`,
        [{ field: `${path(i)}/verb`, message: `not allowed in a ${launch.launchMode} session` }],
      );
  }
}

/** Whether the statements include the session's "terminated" (the AU's last statement of the session). */
export const terminatesSession = (statements: readonly unknown[]) => statements.some((s) => verbOf(s) === TERMINATED);
