import type { AttemptResult, SubmitAttemptBody } from '@hts/contracts';
import { type Db, enrolments, lessonProgress, quizAttempts } from '@hts/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import { DomainError } from '../shared/errors.ts';
import type { LearningEvent } from '../xapi/platform-events.ts';
import { completeCourseIfDone, completedIds } from './complete-course.ts';
import { loadEnrolmentState } from './enrolment-state.ts';
import { lockLearner } from './learner-lock.ts';
import { courseActivity, type LearningDeps, lessonActivity, recordInTransaction } from './learning-statements.ts';
import { isCorrect } from './rules.ts';

/**
 * Grades an open attempt on the server. An answer for a question not drawn in this attempt is a 400; an
 * attempt already submitted is closed (409). A pass completes the quiz lesson and maybe the course. The
 * attempt (passed or failed, with its score) and a completion it brings are xAPI statements, stored in the
 * same transaction.
 */
export async function submitAttempt(deps: LearningDeps, actor: Actor, attemptId: string, input: SubmitAttemptBody): Promise<AttemptResult> {
  const { db } = deps;
  const [found] = await db
    .select({ attempt: quizAttempts, courseId: enrolments.courseId, userId: enrolments.userId })
    .from(quizAttempts)
    .innerJoin(enrolments, eq(enrolments.id, quizAttempts.enrolmentId))
    .where(eq(quizAttempts.id, attemptId));
  // someone else's attempt is answered like a missing one: its existence is not theirs to learn
  if (!found || found.userId !== actor.userId)
    throw new DomainError('not_found', 'no attempt of yours has this id', [{ field: '/params/id', message: 'no such attempt' }]);
  const { attempt } = found;
  if (attempt.status !== 'open') throw new DomainError('conflict', 'this attempt is closed: it was already submitted; start a new one');
  const drawn = new Set(attempt.questionIds);
  const seen = new Set<string>();
  input.answers.forEach((a, i) => {
    if (!drawn.has(a.questionId)) {
      throw new DomainError('validation_failed', `question ${a.questionId} is not in this attempt`, [
        { field: `/body/answers/${i}/questionId`, message: 'not a question of this attempt' },
      ]);
    }
    if (seen.has(a.questionId))
      throw new DomainError('validation_failed', 'a question is answered twice', [{ field: `/body/answers/${i}/questionId`, message: 'answered twice' }]);
    seen.add(a.questionId);
  });
  const answers = new Map(input.answers.map((a) => [a.questionId, a]));
  const now = deps.clock.now();
  return db.transaction(async (tx) => {
    // the learner's lock first, then their state: a progress batch, an LRS completion or a version move of
    // the same learner running now has committed before this reads (see learner-lock.ts)
    await lockLearner(tx, actor.userId);
    const state = await loadEnrolmentState(tx as unknown as Db, actor.userId, found.courseId);
    const quiz = state ? findLesson(state.doc, attempt.lessonId)?.quiz : undefined;
    if (!state || !quiz) {
      // the enrolment moved to a version whose quiz changed while this attempt was open: it cannot be graded
      throw new DomainError('conflict', 'this quiz changed since the attempt started: start a new attempt');
    }
    const byId = new Map(quiz.questions.map((q) => [q.id, q]));
    const feedback = attempt.questionIds.map((id) => {
      const q = byId.get(id);
      const correct = q ? isCorrect(q, answers.get(id)) : false;
      return { questionId: id, correct, feedback: (correct ? q?.feedback.correct : q?.feedback.incorrect) ?? '' };
    });
    const scorePercent = Math.floor((feedback.filter((f) => f.correct).length * 100) / Math.max(1, feedback.length));
    const passed = scorePercent >= quiz.passPercent;
    const correct = feedback.filter((f) => f.correct).length;
    const events: LearningEvent[] = [
      {
        kind: 'quiz_attempt',
        eventId: `quiz-attempt:${attempt.id}`,
        userId: actor.userId,
        quiz: lessonActivity(state, attempt.lessonId, 'quiz'),
        scaled: scorePercent / 100,
        raw: correct,
        max: feedback.length,
        passed,
        durationSeconds: Math.max(0, Math.round((now.getTime() - attempt.startedAt.getTime()) / 1000)),
        at: now,
        course: courseActivity(state),
      },
    ];
    // only an open attempt may be closed: a second submit racing this one finds nothing to update
    const [closed] = await tx
      .update(quizAttempts)
      .set({ status: 'submitted', answers: Object.fromEntries(answers), scorePercent, passed, submittedAt: now })
      .where(and(eq(quizAttempts.id, attempt.id), eq(quizAttempts.status, 'open')))
      .returning({ id: quizAttempts.id });
    if (!closed) throw new DomainError('conflict', 'this attempt is closed: it was already submitted; start a new one');
    if (!passed) {
      await recordInTransaction(tx, deps, events);
      return { id: attempt.id, scorePercent, passed, courseCompleted: Boolean(state.completedAt), feedback };
    }
    const [row] = await tx
      .insert(lessonProgress)
      .values({ enrolmentId: state.enrolment.id, lessonId: attempt.lessonId, openedAt: now, completedAt: now })
      .onConflictDoUpdate({
        target: [lessonProgress.enrolmentId, lessonProgress.lessonId],
        set: { completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)` },
      })
      .returning();
    if (row) state.progress.set(row.lessonId, row);
    await tx.update(enrolments).set({ lastActivityAt: now, lastLessonId: attempt.lessonId }).where(eq(enrolments.id, state.enrolment.id));
    const courseCompleted = await completeCourseIfDone(tx, state, completedIds(state), now, events, deps.notifier);
    await recordInTransaction(tx, deps, events);
    return { id: attempt.id, scorePercent, passed, courseCompleted, feedback };
  });
}
