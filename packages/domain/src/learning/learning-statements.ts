import type { Db } from '@hts/db';
import { findLesson } from '../courses/course-doc.ts';
import type { Notifier } from '../criteria/notifier.ts';
import type { Clock } from '../shared/deps.ts';
import { type LearningEvent, type PlatformActivity, recordLearningEvents } from '../xapi/platform-events.ts';
import type { EnrolmentState } from './enrolment-state.ts';
import { coveredSeconds, type Interval } from './rules.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What the learning use cases need to record their events in the LRS: the platform's base IRI. */
export interface LearningDeps {
  db: Db;
  clock: Clock;
  /** The platform's public address: the home page of learners' xAPI accounts and the root of activity ids. */
  baseIri: string;
  /** Tells a learner their digital skills were confirmed; defaults to the in-app notifier. */
  notifier?: Notifier;
}

export function courseActivity(state: EnrolmentState): PlatformActivity {
  return { type: 'course', id: state.enrolment.courseId, name: state.doc.title };
}

/** A lesson (or quiz) as an activity: `<course id>/<lesson id>`, since lesson ids are unique only within a course. */
export function lessonActivity(state: EnrolmentState, lessonId: string, type: 'lesson' | 'quiz' = 'lesson'): PlatformActivity {
  const title = findLesson(state.doc, lessonId)?.title;
  return { type, id: `${state.enrolment.courseId}/${lessonId}`, ...(title ? { name: title } : {}) };
}

/** How far the learner is through a lesson, 0–100: complete is 100, a video counts the seconds watched. */
export function lessonPercent(state: EnrolmentState, lessonId: string): number {
  const row = state.progress.get(lessonId);
  if (row?.completedAt) return 100;
  const video = findLesson(state.doc, lessonId)?.video;
  if (!video || !row) return 0;
  return Math.min(100, (coveredSeconds((row.videoIntervals ?? []) as Interval[]) / video.durationSeconds) * 100);
}

export function completionEvent(state: EnrolmentState, at: Date): LearningEvent {
  return { kind: 'completion', eventId: `course-completion:${state.enrolment.id}`, userId: state.enrolment.userId, course: courseActivity(state), at };
}

/** Stores the events as xAPI statements inside the transaction that wrote them (see recordLearningEvents). */
export function recordInTransaction(tx: Tx, deps: Omit<LearningDeps, 'db'>, events: readonly LearningEvent[]): Promise<string[]> {
  return recordLearningEvents({ db: tx as unknown as Db, clock: deps.clock, baseIri: deps.baseIri }, events);
}
