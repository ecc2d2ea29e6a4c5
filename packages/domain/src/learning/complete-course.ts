import { courseCompletions, type Db } from '@hts/db';
import { allLessons } from '../courses/course-doc.ts';
import { appendEvidence } from '../evidence/append-evidence.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { EnrolmentState } from './enrolment-state.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Writes the course completion once every required lesson is complete. Append-only and written once (a
 * unique key per enrolment); the evidence and certificate pipelines learn of it through the job queue, in
 * the same transaction, so a completion is never recorded without its job nor the other way round. The
 * completion is also appended to the evidence hash chain in that transaction, so it is tamper-evident from
 * the moment it exists.
 */
export async function completeCourseIfDone(tx: Tx, state: EnrolmentState, completedLessonIds: Set<string>, now: Date): Promise<boolean> {
  if (state.completedAt) return true;
  const required = allLessons(state.doc).filter((l) => l.required);
  if (!required.every((l) => completedLessonIds.has(l.id))) return false;
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
    // a completion can make a Hội Khuyến học member count as trained
    await markIndicatorsDirty(tx, { userIds: [state.enrolment.userId] });
  }
  state.completedAt = now;
  return true;
}

export function completedIds(state: EnrolmentState): Set<string> {
  return new Set([...state.progress.values()].filter((p) => p.completedAt).map((p) => p.lessonId));
}
