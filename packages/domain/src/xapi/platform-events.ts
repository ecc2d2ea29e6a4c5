import { createHash } from 'node:crypto';
import type { NewXapiStatementRow } from '@hts/db';
import { type JsonObject, platformAgent } from './agents.ts';
import type { LrsPrincipal } from './principal.ts';
import { prepareStatements, type StoreDeps, storeStatements } from './store-statements.ts';

/** ADL verbs the platform's own learning events are recorded with. */
export const adlVerbs = {
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
} as const;

/** A platform activity; `id` may have several `/`-separated parts (a lesson is `<course id>/<lesson id>`). */
export type PlatformActivity = { type: 'course' | 'module' | 'lesson' | 'quiz'; id: string; name?: string };
type Activity = PlatformActivity;

/** A learning event inside the platform; `eventId` is the idempotency key of the write that produced it. */
export type LearningEvent =
  | { kind: 'progress'; eventId: string; userId: string; activity: Activity; percent: number; at: Date; course?: Activity }
  | {
      kind: 'quiz_attempt';
      eventId: string;
      userId: string;
      quiz: Activity;
      scaled: number;
      passed: boolean;
      raw?: number;
      max?: number;
      durationSeconds?: number;
      at: Date;
      course?: Activity;
    }
  | { kind: 'completion'; eventId: string; userId: string; course: Activity; at: Date }
  | Cmi5Event;

/** cmi5's verbs the platform (as the LMS) writes itself (cmi5 §9.3): the activity writes the others. */
export const cmi5LmsVerbs = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
} as const;
export const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
export const cmi5Extensions = {
  sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
} as const;
/** The context extension marking what a trainer's preview session wrote: it never counts as learning. */
export const previewExtension = (baseIri: string) => `${baseIri}/xapi/extensions/preview`;

/**
 * A statement the platform writes as the cmi5 LMS of an external activity lesson: "launched" before the
 * activity opens, "satisfied" when the lesson's completion rule (its moveOn) is met, "abandoned" when a
 * session ends without the activity's "terminated".
 */
export interface Cmi5Event {
  kind: 'cmi5';
  eventId: string;
  userId: string;
  verb: keyof typeof cmi5LmsVerbs;
  /** The statement's object: the activity (AU) for launched and abandoned, the lesson (a block of one AU) for satisfied. */
  object: { id: string; name?: string; type?: string };
  /** The AU's activity id, named in the grouping as the AU's own statements name it (LMS.LaunchData's contextTemplate). */
  auActivityId: string;
  registration: string;
  sessionId?: string;
  extensions?: Record<string, unknown>;
  durationSeconds?: number;
  at: Date;
}

/** Deterministic statement id from the event id (RFC 4122 version 5 layout), so a replayed event is the same statement. */
export function eventStatementId(eventId: string): string {
  const h = createHash('sha1').update(`hoc-tap-so:xapi:${eventId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The activity IRI of a platform course, lesson or quiz, under the platform's base IRI. */
export function platformActivityId(baseIri: string, a: Pick<Activity, 'type' | 'id'>): string {
  return `${baseIri}/xapi/activities/${a.type}/${a.id.split('/').map(encodeURIComponent).join('/')}`;
}

function activityObject(baseIri: string, a: Activity): JsonObject {
  return {
    objectType: 'Activity',
    id: platformActivityId(baseIri, a),
    definition: {
      type: a.type === 'quiz' ? 'http://adlnet.gov/expapi/activities/assessment' : `http://adlnet.gov/expapi/activities/${a.type}`,
      ...(a.name ? { name: { vi: a.name } } : {}),
    },
  };
}

/** The xAPI statement an internal event becomes: ADL verbs, activity ids under the platform's base IRI. */
export function platformStatement(baseIri: string, e: LearningEvent): JsonObject {
  const base = { id: eventStatementId(e.eventId), actor: platformAgent(baseIri, e.userId), timestamp: e.at.toISOString() };
  const parent = (course?: Activity) => (course ? { context: { contextActivities: { parent: [activityObject(baseIri, course)] } } } : {});
  if (e.kind === 'progress')
    return {
      ...base,
      verb: { id: adlVerbs.progressed, display: { vi: 'đã học tiếp' } },
      object: activityObject(baseIri, e.activity),
      result: { completion: e.percent >= 100, extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': Math.round(e.percent) } },
      ...parent(e.course),
    };
  if (e.kind === 'quiz_attempt')
    return {
      ...base,
      verb: e.passed ? { id: adlVerbs.passed, display: { vi: 'đã đạt' } } : { id: adlVerbs.failed, display: { vi: 'chưa đạt' } },
      object: activityObject(baseIri, e.quiz),
      result: {
        success: e.passed,
        score: { scaled: e.scaled, ...(e.raw !== undefined ? { raw: e.raw, min: 0 } : {}), ...(e.max !== undefined ? { max: e.max } : {}) },
        ...(e.durationSeconds !== undefined ? { duration: `PT${e.durationSeconds}S` } : {}),
      },
      ...parent(e.course),
    };
  if (e.kind === 'cmi5') return cmi5Statement(base, e);
  return {
    ...base,
    verb: { id: adlVerbs.completed, display: { vi: 'đã hoàn thành' } },
    object: activityObject(baseIri, e.course),
    result: { completion: true },
  };
}

const cmi5Display = { launched: 'đã mở', satisfied: 'đã đạt yêu cầu', abandoned: 'đã bỏ dở' } as const;

function cmi5Statement(base: JsonObject, e: Cmi5Event): JsonObject {
  const extensions = { ...(e.sessionId ? { [cmi5Extensions.sessionId]: e.sessionId } : {}), ...e.extensions };
  return {
    ...base,
    verb: { id: cmi5LmsVerbs[e.verb], display: { vi: cmi5Display[e.verb], en: e.verb } },
    object: {
      objectType: 'Activity',
      id: e.object.id,
      ...(e.object.name || e.object.type
        ? { definition: { ...(e.object.name ? { name: { vi: e.object.name } } : {}), ...(e.object.type ? { type: e.object.type } : {}) } }
        : {}),
    },
    ...(e.durationSeconds !== undefined ? { result: { duration: `PT${Math.max(0, Math.round(e.durationSeconds))}S` } } : {}),
    context: {
      registration: e.registration,
      contextActivities: {
        grouping: [{ objectType: 'Activity', id: e.auActivityId }],
        category: [{ objectType: 'Activity', id: CMI5_CATEGORY }],
      },
      ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    },
  };
}

/**
 * Records internal learning events as statements in the LRS (so one query answers "what did this person
 * do"). Pass the transaction of the write that produced the events as `db`: the statements commit or roll
 * back with it. They are not appended to the evidence hash chain here: the learning code appends its course
 * completions where it writes them (`course.completion`), and a second entry for the same fact would only
 * muddle the chain. Replaying an event changes nothing (its statement id is derived from the event id).
 */
export async function recordLearningEvents(deps: Omit<StoreDeps, 'writer'> & { baseIri: string }, events: readonly LearningEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  return storeStatements(
    deps,
    platformPrincipal(deps.baseIri),
    events.map((e) => platformStatement(deps.baseIri, e)),
    { chain: false },
  );
}

/**
 * The rows recordLearningEvents would store for these events (checked as any statement is), for a use case
 * that inserts them within a statement of its own (see statementInsertParts). Platform statements never
 * void, reference or carry attachments, so nothing else follows their insert.
 */
export function platformStatementRows(baseIri: string, events: readonly LearningEvent[], now: Date): NewXapiStatementRow[] {
  if (events.length === 0) return [];
  return prepareStatements(
    platformPrincipal(baseIri),
    events.map((e) => platformStatement(baseIri, e)),
    { chain: false },
    now,
  ).rows;
}

function platformPrincipal(baseIri: string): LrsPrincipal {
  return {
    authorityKey: 'platform',
    authority: { objectType: 'Agent', name: 'Học tập số', account: { homePage: baseIri, name: 'platform' } },
    scopes: new Set(['all']),
  };
}
