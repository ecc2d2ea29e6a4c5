import type { Lesson } from '@hts/contracts';
import { courseVersions, type Db, enrolments, externalLaunches, lessonProgress } from '@hts/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { allLessons } from '../courses/course-doc.ts';
import type { Notifier } from '../criteria/notifier.ts';
import type { Clock } from '../shared/deps.ts';
import { isPlainObject } from '../xapi/formats.ts';
import type { LearningEvent } from '../xapi/platform-events.ts';
import { type LaunchSession, terminatesSession } from '../xapi/principal.ts';
import { completeCourseIfDone, completedIds } from './complete-course.ts';
import { type EnrolmentState, lessonStatuses, loadEnrolmentState } from './enrolment-state.ts';
import { lessonBlockId } from './launch-external.ts';
import { lockLearner } from './learner-lock.ts';
import { recordInTransaction } from './learning-statements.ts';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const PASSED = 'http://adlnet.gov/expapi/verbs/passed';

/**
 * The activity id an external lesson's package reports on: its own, or its launch URL (a path on this site,
 * such as a sample activity under the web's static files, is made absolute on the platform's home page).
 */
export const externalActivityId = (external: { launchUrl: string; activityId?: string | undefined }, homePage: string) =>
  external.activityId ?? (external.launchUrl.startsWith('/') ? new URL(external.launchUrl, homePage).href : external.launchUrl);

/**
 * External activity lessons (xAPI/cmi5 packages) complete from what their package tells the platform's LRS,
 * never from a report of the learner's browser: for every stored statement with the verb completed or
 * passed, whose actor is a platform account (homePage = this platform) and whose object is the activity
 * of an external lesson in the version that user is enrolled in, the lesson completes (rule "completed":
 * either verb; rule "passed": passed only), and the course with it when its rule then holds. The platform
 * then writes cmi5's "satisfied" for the lesson (its moveOn is met), once per registration.
 *
 * Sent with a launch token, the statements belong to its cmi5 session: the session's last statement time is
 * kept (the duration of an abandoned session), a "terminated" ends the session (its token writes no more),
 * and a Review or preview session never changes anyone's progress.
 * Called after the statements are durably stored; running it again changes nothing. Takes the learner's lock
 * (learner-lock.ts) before it reads their state.
 */
export async function completeFromStatements(
  deps: { db: Db; clock: Clock; notifier?: Notifier },
  homePage: string,
  statements: unknown[],
  /** Sent with a launch token: only statements about its activity in its registration (the enrolment) count. */
  launch?: LaunchSession,
): Promise<number> {
  if (launch) {
    const now = deps.clock.now();
    await deps.db.update(externalLaunches).set({ lastStatementAt: now }).where(eq(externalLaunches.id, launch.id));
    if (terminatesSession(statements))
      await deps.db
        .update(externalLaunches)
        .set({ endedAt: now, endedAs: 'terminated' })
        .where(and(eq(externalLaunches.id, launch.id), isNull(externalLaunches.endedAt)));
    if (launch.preview || launch.launchMode !== 'Normal') return 0;
  }
  const wanted = new Map<string, Array<{ activityId: string; passed: boolean }>>();
  for (const s of statements) {
    if (!isPlainObject(s) || !isPlainObject(s.verb) || !isPlainObject(s.object) || !isPlainObject(s.actor)) continue;
    const verb = s.verb.id;
    if (verb !== COMPLETED && verb !== PASSED) continue;
    const account = s.actor.account;
    if (!isPlainObject(account) || account.homePage !== homePage || typeof account.name !== 'string') continue;
    if (typeof s.object.id !== 'string' || (s.object.objectType !== undefined && s.object.objectType !== 'Activity')) continue;
    if (!/^[0-9a-f-]{36}$/i.test(account.name)) continue;
    if (launch && (s.object.id !== launch.activityId || !isPlainObject(s.context) || String(s.context.registration).toLowerCase() !== launch.registration))
      continue;
    const list = wanted.get(account.name) ?? [];
    list.push({ activityId: s.object.id, passed: verb === PASSED });
    wanted.set(account.name, list);
  }
  let completed = 0;
  for (const [userId, reports] of wanted) {
    const mine = await deps.db
      .select({ courseId: enrolments.courseId, doc: courseVersions.doc })
      .from(enrolments)
      .innerJoin(courseVersions, eq(courseVersions.id, enrolments.versionId))
      .where(and(eq(enrolments.userId, userId), launch ? eq(enrolments.id, launch.registration) : undefined));
    for (const { courseId, doc } of mine) {
      const lessons = allLessons(doc).filter(
        (l) =>
          l.external &&
          reports.some(
            (r) => r.activityId === externalActivityId(l.external as { launchUrl: string }, homePage) && (r.passed || l.external?.rule === 'completed'),
          ),
      );
      if (lessons.length === 0) continue;
      completed += await deps.db.transaction(async (tx) => {
        await lockLearner(tx, userId);
        const state = (await loadEnrolmentState(tx as unknown as Db, userId, courseId)) as EnrolmentState;
        const statuses = lessonStatuses(state);
        const now = deps.clock.now();
        let n = 0;
        const done: Lesson[] = [];
        for (const lesson of lessons) {
          if (statuses.get(lesson.id) === 'locked' || state.progress.get(lesson.id)?.completedAt) continue;
          const [row] = await tx
            .insert(lessonProgress)
            .values({ enrolmentId: state.enrolment.id, lessonId: lesson.id, openedAt: now, completedAt: now, externalResult: 'lrs' })
            .onConflictDoUpdate({
              target: [lessonProgress.enrolmentId, lessonProgress.lessonId],
              set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)` },
            })
            .returning();
          if (row) state.progress.set(lesson.id, row);
          done.push(lesson);
          n += 1;
        }
        if (n > 0) {
          await tx.update(enrolments).set({ lastActivityAt: now }).where(eq(enrolments.id, state.enrolment.id));
          // cmi5 "satisfied" for each lesson now complete, then the course completion: statements like any
          // other (the package's own statements are stored already)
          const events: LearningEvent[] = done.map((lesson) => satisfiedEvent(homePage, state, lesson, now, launch?.id));
          await completeCourseIfDone(tx, state, completedIds(state), now, events, deps.notifier);
          await recordInTransaction(tx, { clock: deps.clock, baseIri: homePage }, events);
        }
        return n;
      });
    }
  }
  return completed;
}

/** The platform's cmi5 "satisfied" for an external lesson whose moveOn is met: once per registration (its id is fixed). */
function satisfiedEvent(homePage: string, state: EnrolmentState, lesson: Lesson, at: Date, sessionId: string | undefined): LearningEvent {
  return {
    kind: 'cmi5',
    eventId: `cmi5-satisfied:${state.enrolment.id}:${lesson.id}`,
    userId: state.enrolment.userId,
    verb: 'satisfied',
    object: { id: lessonBlockId(homePage, state.enrolment.courseId, lesson.id), name: lesson.title, type: 'https://w3id.org/xapi/cmi5/activitytype/block' },
    auActivityId: externalActivityId(lesson.external as { launchUrl: string }, homePage),
    registration: state.enrolment.id,
    ...(sessionId ? { sessionId } : {}),
    at,
  };
}
