import { createHash, randomBytes } from 'node:crypto';
import { type Db, externalLaunches } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import type { Clock } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { platformAgent } from '../xapi/agents.ts';
import { writeDocument } from '../xapi/documents/write-document.ts';
import { LAUNCH_DATA_STATE } from '../xapi/principal.ts';
import { externalActivityId } from './complete-from-statements.ts';
import { lessonStatuses, requireEnrolment } from './enrolment-state.ts';

/** The fetch URL of a launch works once, within this many seconds (the frame asks for it as it loads). */
export const LAUNCH_FETCH_SECONDS = 10 * 60;
/** The auth token a fetch returns acts for this many seconds: one sitting with the activity. */
export const LAUNCH_TOKEN_SECONDS = 3 * 60 * 60;

const SESSION_ID = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

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
}

/** The launch URL as cmi5 §8.1 has it: the activity's URL plus endpoint, fetch, actor, registration, activityId. */
function withLaunchParameters(url: URL, params: Record<string, string>): string {
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * Launches an external activity lesson for the learner (cmi5 §8 and §10): writes the LMS.LaunchData state
 * document, then answers the launch URL whose one-time fetch URL gives the activity its auth token. The
 * registration is the learner's enrolment; `origin` is the web address the learner opened, through which
 * the activity reaches the LRS (`/xapi/`) and the fetch URL.
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
  if (!lesson.external)
    throw new DomainError('validation_failed', 'only an external activity lesson is launched', [
      { field: '/params/lessonId', message: 'is not an external activity' },
    ]);
  if (lessonStatuses(state).get(lesson.id) === 'locked')
    throw new DomainError('forbidden', 'finish the lessons before this one first', [{ field: '/params/lessonId', message: 'locked' }]);

  const now = deps.clock.now();
  const activityId = externalActivityId(lesson.external, options.homePage);
  const registration = state.enrolment.id;
  const agent = platformAgent(options.homePage, actor.userId);
  const code = randomBytes(32).toString('base64url');
  const fetchBy = new Date(now.getTime() + LAUNCH_FETCH_SECONDS * 1000);
  const [row] = await deps.db
    .insert(externalLaunches)
    .values({ enrolmentId: registration, userId: actor.userId, lessonId: lesson.id, activityId, fetchCodeHash: hashSecret(code), fetchBy })
    .returning({ id: externalLaunches.id });
  const launchId = (row as { id: string }).id;

  const launchData = {
    contextTemplate: {
      registration,
      contextActivities: { grouping: [{ objectType: 'Activity', id: activityId }] },
      extensions: { [SESSION_ID]: launchId },
    },
    launchMode: 'Normal',
    moveOn: lesson.external.rule === 'passed' ? 'Passed' : 'CompletedOrPassed',
  };
  const platform = { authorityKey: 'platform', authority: agent, scopes: new Set(['all'] as const) };
  await writeDocument(deps, platform, 'state', { activityId, agent: JSON.stringify(agent), registration, stateId: LAUNCH_DATA_STATE }, 'put', {
    content: Buffer.from(JSON.stringify(launchData)),
    contentType: 'application/json',
  });

  const origin = options.origin.replace(/\/$/, '');
  const endpoint = `${origin}/xapi/`;
  const fetch = `${origin}/api/launches/${launchId}/fetch?k=${code}`;
  return {
    launchUrl: withLaunchParameters(new URL(lesson.external.launchUrl, `${origin}/`), {
      endpoint,
      fetch,
      actor: JSON.stringify(agent),
      registration,
      activityId,
    }),
    endpoint,
    fetch,
    actor: agent,
    registration,
    activityId,
    fetchBy: fetchBy.toISOString(),
  };
}
