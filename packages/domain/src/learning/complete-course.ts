import { courseCompletions, type Db } from '@hts/db';
import { allLessons } from '../courses/course-doc.ts';
import { confirmDigitalSkillIfRuleHolds } from '../criteria/digital-skill.ts';
import { inAppNotifier, type Notifier } from '../criteria/notifier.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { localYear, markIndicatorsDirty } from '../indicators/rollups.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { LearningEvent } from '../xapi/platform-events.ts';
import type { EnrolmentState } from './enrolment-state.ts';
import { completionEvent } from './learning-statements.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The course's completion rule over the lessons completed: passing the final test when the course names
 * one, else every required lesson.
 */
export function courseRuleHolds(doc: EnrolmentState['doc'], completedLessonIds: Set<string>): boolean {
  if (doc.finalTestId) return completedLessonIds.has(doc.finalTestId);
  return allLessons(doc)
    .filter((l) => l.required)
    .every((l) => completedLessonIds.has(l.id));
}

/**
 * Writes the course completion once the course's rule holds (every required lesson, or the final test). Append-only and written once (a
 * unique key per enrolment); the evidence and certificate pipelines learn of it through the job queue, in
 * the same transaction, so a completion is never recorded without its job nor the other way round. The
 * completion is also appended to the evidence hash chain in that transaction, so it is tamper-evident from
 * the moment it exists; when it makes the digital-skill rule hold, the confirmation is written there too.
 * A new completion is pushed onto `events`, which the caller records as an xAPI statement in the same
 * transaction.
 */
export async function completeCourseIfDone(
  tx: Tx,
  state: EnrolmentState,
  completedLessonIds: Set<string>,
  now: Date,
  events: LearningEvent[],
  notifier: Notifier = inAppNotifier,
): Promise<boolean> {
  if (state.completedAt) return true;
  if (!courseRuleHolds(state.doc, completedLessonIds)) return false;
  const [row] = await tx
    .insert(courseCompletions)
    .values({
      enrolmentId: state.enrolment.id,
      userId: state.enrolment.userId,
      courseId: state.enrolment.courseId,
      versionId: state.enrolment.versionId,
      completedAt: now,
    })
    .onConflictDoNothing({ target: courseCompletions.enrolmentId })
    .returning({ id: courseCompletions.id });
  if (row) {
    await appendEvidence(
      tx,
      [
        {
          kind: 'course.completion',
          subjectId: row.id,
          payload: { userId: state.enrolment.userId, courseId: state.enrolment.courseId, versionId: state.enrolment.versionId, completedAt: now.toISOString() },
        },
      ],
      now,
    );
    await enqueueJob(tx as unknown as Db, 'course.completed', {
      completionId: row.id,
      enrolmentId: state.enrolment.id,
      userId: state.enrolment.userId,
      courseId: state.enrolment.courseId,
      versionId: state.enrolment.versionId,
      competences: state.doc.competences,
      completedAt: now.toISOString(),
    });
    // "có kỹ năng số" is confirmed the moment the completions that satisfy its rule exist
    await confirmDigitalSkillIfRuleHolds(tx, state.enrolment.userId, now, notifier);
    events.push(completionEvent(state, now));
    // a completion can make a Hội Khuyến học member count as trained
    await markIndicatorsDirty(tx, { userIds: [state.enrolment.userId], inputs: ['trained'], fromYear: localYear(now) });
  }
  state.completedAt = now;
  return true;
}

export function completedIds(state: EnrolmentState): Set<string> {
  return new Set([...state.progress.values()].filter((p) => p.completedAt).map((p) => p.lessonId));
}
