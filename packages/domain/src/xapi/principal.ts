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
  launch?: { id: string; activityId: string; registration: string };
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
