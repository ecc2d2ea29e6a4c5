import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Lesson } from '@hts/contracts';
import { type Db, externalLaunches } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { platformAgent } from '../xapi/agents.ts';
import { writeDocument } from '../xapi/documents/write-document.ts';
import { cmi5Extensions, type LearningEvent, platformActivityId, previewExtension, recordLearningEvents } from '../xapi/platform-events.ts';
import { LAUNCH_DATA_STATE } from '../xapi/principal.ts';
import { externalActivityId } from './complete-from-statements.ts';
import { lessonStatuses, requireEnrolment } from './enrolment-state.ts';

/** The fetch URL of a launch works once, within this many seconds (the frame asks for it as it loads). */
export const LAUNCH_FETCH_SECONDS = 10 * 60;
/** The auth token a fetch returns acts for this many seconds: one sitting with the activity. */
export const LAUNCH_TOKEN_SECONDS = 3 * 60 * 60;

export type LaunchMode = 'Normal' | 'Review';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export interface ExternalLaunch {
  /** The activity's address with the cmi5 launch parameters appended: what the player's frame opens. */
  launchUrl: string;
  endpoint: string;
  fetch: string;
  actor: Record<string, unknown>;
  registration: string;
  activityId: string;
  /** The fetch URL stops working at this instant. */
  fetchBy: string;
  sessionId: string;
  launchMode: LaunchMode;
  preview: boolean;
}

/** The launch URL as cmi5 §8.1 has it: the activity's URL plus endpoint, fetch, actor, registration, activityId. */
function withLaunchParameters(url: URL, params: Record<string, string>): string {
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** cmi5 moveOn of an external lesson's rule: "passed" needs passed, "completed" takes either. */
export const moveOnOf = (external: NonNullable<Lesson['external']>) => (external.rule === 'passed' ? 'Passed' : 'CompletedOrPassed');

/**
 * Launches an external activity lesson for the learner (cmi5 §8 and §10): writes the LMS.LaunchData state
 * document and the "launched" statement, then answers the launch URL whose one-time fetch URL gives the
 * activity its auth token. The registration is the learner's enrolment; each launch is a cmi5 session of
 * its own (its id is the sessionid). A lesson already completed launches in Review mode: the learner looks
 * again, and nothing that session sends changes their record. `origin` is the web address the learner
 * opened, through which the activity reaches the LRS (`/xapi/`) and the fetch URL.
 */
export async function launchExternal(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  courseId: string,
  lessonId: string,
  options: { homePage: string; origin: string },
): Promise<ExternalLaunch> {
  const state = await requireEnrolment(deps.db, actor.userId, courseId);
  const lesson = findLesson(state.doc, lessonId);
  if (!lesson) throw new DomainError('not_found', 'this course has no such lesson', [{ field: '/params/lessonId', message: 'no such lesson in your version' }]);
  const external = requireExternal(lesson);
  const status = lessonStatuses(state).get(lesson.id);
  if (status === 'locked') throw new DomainError('forbidden', 'finish the lessons before this one first', [{ field: '/params/lessonId', message: 'locked' }]);
  return startLaunch(deps, {
    userId: actor.userId,
    courseId,
    lesson,
    external,
    enrolmentId: state.enrolment.id,
    launchMode: status === 'completed' ? 'Review' : 'Normal',
    preview: false,
    ...options,
  });
}

export function requireExternal(lesson: Lesson): NonNullable<Lesson['external']> {
  if (!lesson.external)
    throw new DomainError('validation_failed', 'only an external activity lesson is launched', [
      { field: '/params/lessonId', message: 'is not an external activity' },
    ]);
  return lesson.external;
}

export interface LaunchSpec {
  userId: string;
  courseId: string;
  lesson: Lesson;
  external: NonNullable<Lesson['external']>;
  /** The learner's enrolment; null for a trainer's preview. */
  enrolmentId: string | null;
  launchMode: LaunchMode;
  preview: boolean;
  homePage: string;
  origin: string;
}

/**
 * One cmi5 session: the launch row (the session and its one-time fetch code), LMS.LaunchData and the
 * "launched" statement, in one transaction, so a launch the activity can use always has its "launched".
 * A preview's registration is the session's own id (it has no enrolment), and its context template and
 * statements carry the preview extension.
 */
export async function startLaunch(deps: { db: Db; clock: Clock }, spec: LaunchSpec): Promise<ExternalLaunch> {
  const now = deps.clock.now();
  const activityId = externalActivityId(spec.external, spec.homePage);
  const agent = platformAgent(spec.homePage, spec.userId);
  const code = randomBytes(32).toString('base64url');
  const fetchBy = new Date(now.getTime() + LAUNCH_FETCH_SECONDS * 1000);
  const launchId = randomUUID();
  const registration = spec.enrolmentId ?? launchId;
  const moveOn = moveOnOf(spec.external);
  const origin = spec.origin.replace(/\/$/, '');
  const endpoint = `${origin}/xapi/`;
  const fetch = `${origin}/api/launches/${launchId}/fetch?k=${code}`;
  const activityUrl = new URL(spec.external.launchUrl, `${origin}/`);
  const previewMark = spec.preview ? { [previewExtension(spec.homePage)]: true } : {};

  await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await tx.insert(externalLaunches).values({
      id: launchId,
      enrolmentId: spec.enrolmentId,
      userId: spec.userId,
      courseId: spec.courseId,
      lessonId: spec.lesson.id,
      activityId,
      launchMode: spec.launchMode,
      preview: spec.preview,
      fetchCodeHash: hashSecret(code),
      fetchBy,
    });
    const launchData = {
      contextTemplate: {
        registration,
        contextActivities: { grouping: [{ objectType: 'Activity', id: activityId }] },
        extensions: { [cmi5Extensions.sessionId]: launchId, ...previewMark },
      },
      launchMode: spec.launchMode,
      moveOn,
    };
    const platform = { authorityKey: 'platform', authority: agent, scopes: new Set(['all'] as const) };
    await writeDocument(
      { db, clock: deps.clock },
      platform,
      'state',
      { activityId, agent: JSON.stringify(agent), registration, stateId: LAUNCH_DATA_STATE },
      'put',
      { content: Buffer.from(JSON.stringify(launchData)), contentType: 'application/json' },
    );
    const launched: LearningEvent = {
      kind: 'cmi5',
      eventId: `cmi5-launched:${launchId}`,
      userId: spec.userId,
      verb: 'launched',
      object: { id: activityId, name: spec.lesson.title },
      auActivityId: activityId,
      registration,
      sessionId: launchId,
      extensions: {
        [cmi5Extensions.launchMode]: spec.launchMode,
        [cmi5Extensions.launchUrl]: activityUrl.href,
        [cmi5Extensions.moveOn]: moveOn,
        ...previewMark,
      },
      at: now,
    };
    await recordLearningEvents({ db, clock: deps.clock, baseIri: spec.homePage }, [launched]);
  });

  return {
    launchUrl: withLaunchParameters(activityUrl, { endpoint, fetch, actor: JSON.stringify(agent), registration, activityId }),
    endpoint,
    fetch,
    actor: agent,
    registration,
    activityId,
    fetchBy: fetchBy.toISOString(),
    sessionId: launchId,
    launchMode: spec.launchMode,
    preview: spec.preview,
  };
}

/** The lesson activity the platform's "satisfied" names: the lesson is a block holding the one AU. */
export const lessonBlockId = (homePage: string, courseId: string, lessonId: string) =>
  platformActivityId(homePage, { type: 'lesson', id: `${courseId}/${lessonId}` });
