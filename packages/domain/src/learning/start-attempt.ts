import { randomInt } from 'node:crypto';
import type { QuizAttempt } from '@hts/contracts';
import { type Db, quizAttempts } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { findLesson } from '../courses/course-doc.ts';
import { DomainError } from '../shared/errors.ts';
import { lessonStatuses, requireEnrolment } from './enrolment-state.ts';

/** Draws the questions (all, or drawCount at random) and fixes them in the attempt; answers stay here. */
export async function startAttempt(deps: { db: Db }, actor: Actor, courseId: string, lessonId: string): Promise<QuizAttempt> {
  const state = await requireEnrolment(deps.db, actor.userId, courseId);
  const lesson = findLesson(state.doc, lessonId);
  if (!lesson?.quiz) throw new DomainError('not_found', 'this course has no quiz with this id', [{ field: '/params/lessonId', message: 'no such quiz' }]);
  if (lessonStatuses(state).get(lesson.id) === 'locked') throw new DomainError('forbidden', 'finish the lessons before this one first');
  const pool = [...lesson.quiz.questions];
  const count = lesson.quiz.drawCount ?? pool.length;
  if (lesson.quiz.drawCount !== null) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [pool[i], pool[j]] = [pool[j] as (typeof pool)[number], pool[i] as (typeof pool)[number]];
    }
  }
  const drawn = pool.slice(0, count);
  const [row] = await deps.db
    .insert(quizAttempts)
    .values({ enrolmentId: state.enrolment.id, lessonId: lesson.id, questionIds: drawn.map((q) => q.id) })
    .returning({ id: quizAttempts.id });
  if (!row) throw new Error('attempt insert returned nothing');
  return {
    id: row.id,
    lessonId: lesson.id,
    passPercent: lesson.quiz.passPercent,
    questions: drawn.map((q) => ({ id: q.id, kind: q.kind, prompt: q.prompt, options: q.options.map((o) => ({ id: o.id, text: o.text })) })),
  };
}
