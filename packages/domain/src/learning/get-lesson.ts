import type { LessonView } from '@hts/contracts';
import type { Db } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { allLessons } from '../courses/course-doc.ts';
import { renderLessonHtml } from '../courses/render-lesson-html.ts';
import { DomainError } from '../shared/errors.ts';
import { lessonStatuses, requireEnrolment } from './enrolment-state.ts';

/** A lesson of the learner's pinned version, for the player; quiz answers never leave the server. */
export async function getLesson(deps: { db: Db }, actor: Actor, courseId: string, lessonId: string): Promise<LessonView> {
  const state = await requireEnrolment(deps.db, actor.userId, courseId);
  const lessons = allLessons(state.doc);
  const index = lessons.findIndex((l) => l.id === lessonId);
  const lesson = lessons[index];
  if (!lesson) throw new DomainError('not_found', 'this course has no such lesson', [{ field: '/params/lessonId', message: 'no such lesson in your version' }]);
  const status = lessonStatuses(state).get(lesson.id) ?? 'open';
  if (status === 'locked') throw new DomainError('forbidden', 'finish the lessons before this one first', [{ field: '/params/lessonId', message: 'locked' }]);
  const progress = state.progress.get(lesson.id);
  const view: LessonView = {
    id: lesson.id,
    courseId,
    title: lesson.title,
    kind: lesson.kind,
    status,
    previousLessonId: lessons[index - 1]?.id ?? null,
    nextLessonId: lessons[index + 1]?.id ?? null,
  };
  if (lesson.text) view.html = renderLessonHtml(lesson.text.markdown, lesson.title);
  if (lesson.video) view.video = { ...lesson.video, position: progress?.videoPosition ?? 0 };
  if (lesson.external) view.external = lesson.external;
  // a passed attempt completes the quiz lesson; its progress (not the attempt history) says whether it is
  // passed in this version, so after a move to a version with a changed quiz it is to be taken again
  if (lesson.quiz)
    view.quiz = {
      passPercent: lesson.quiz.passPercent,
      questionCount: lesson.quiz.drawCount ?? lesson.quiz.questions.length,
      passed: Boolean(progress?.completedAt),
    };
  return view;
}
