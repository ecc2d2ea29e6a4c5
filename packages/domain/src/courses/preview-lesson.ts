import type { LessonPreview } from '@hts/contracts';
import type { Db } from '@hts/db';
import type { Actor } from '../access/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { allLessons } from './course-doc.ts';
import { getCourseDraft } from './get-course-draft.ts';
import { renderLessonHtml } from './render-lesson-html.ts';

/**
 * A lesson of the draft (or of the published version when there are no edits) rendered as the player
 * shows it to a learner: the same sanitised HTML, and every question of a quiz without its answers. Only
 * the course's editors see it; nothing is recorded.
 */
export async function previewLesson(deps: { db: Db }, actor: Actor, courseId: string, lessonId: string): Promise<LessonPreview> {
  const { draft } = await getCourseDraft(deps, actor, courseId);
  const lessons = allLessons(draft);
  const index = lessons.findIndex((l) => l.id === lessonId);
  const lesson = lessons[index];
  if (!lesson) throw new DomainError('not_found', 'the draft has no such lesson', [{ field: '/params/lessonId', message: 'no such lesson in the draft' }]);
  const view: LessonPreview['lesson'] = {
    id: lesson.id,
    courseId,
    title: lesson.title,
    kind: lesson.kind,
    status: 'open',
    previousLessonId: lessons[index - 1]?.id ?? null,
    nextLessonId: lessons[index + 1]?.id ?? null,
  };
  if (lesson.text) view.html = renderLessonHtml(lesson.text.markdown, lesson.title);
  if (lesson.video) view.video = { ...lesson.video, position: 0 };
  if (lesson.external) view.external = lesson.external;
  if (lesson.quiz) view.quiz = { passPercent: lesson.quiz.passPercent, questionCount: lesson.quiz.drawCount ?? lesson.quiz.questions.length, passed: false };
  return {
    courseTitle: draft.title,
    lesson: view,
    questions: (lesson.quiz?.questions ?? []).map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      options: q.options.map((o) => ({ id: o.id, text: o.text })),
    })),
  };
}
