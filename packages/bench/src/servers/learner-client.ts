import type { ServerProcess } from './process.ts';

/** The parts of a published course document a learner's client needs to pass every lesson (answers included). */
export interface LessonToPass {
  id: string;
  kind: string;
  video?: { durationSeconds: number } | null;
  quiz?: {
    questions: Array<{ id: string; kind: string; answer?: boolean | null; accept: string[]; options: Array<{ id: string; correct: boolean }> }>;
  } | null;
}

let eventNo = 0;

/**
 * A learner taking a course through the API as the lesson pages do: enrols, then per lesson the request that
 * satisfies its rule (text opened, the whole video watched in real time, the quiz passed, the external activity
 * passed). Every lesson but the last is done at once; the last is returned as a function, so a bench can time
 * the request that completes the course apart from the ones before it.
 */
export async function takeCourseUpToLastLesson(
  api: ServerProcess,
  token: string,
  courseId: string,
  lessons: readonly LessonToPass[],
): Promise<() => Promise<void>> {
  const call = async (url: string, payload: object) => {
    const res = await fetch(`${api.origin}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const pass = async (lesson: LessonToPass) => {
    const event = { id: `bench-ev-${process.pid}-${Date.now()}-${++eventNo}`, courseId, lessonId: lesson.id };
    if (lesson.kind === 'text') await call('/api/progress', { events: [{ ...event, kind: 'opened' }] });
    else if (lesson.kind === 'external') await call('/api/progress', { events: [{ ...event, kind: 'external', external: { result: 'passed' } }] });
    else if (lesson.kind === 'video' && lesson.video) {
      const d = lesson.video.durationSeconds;
      await call('/api/progress', { events: [{ ...event, kind: 'video', video: { intervals: [[0, d]], position: d, wallSeconds: d + 1 } }] });
    } else if (lesson.kind === 'quiz' && lesson.quiz) {
      const attempt = await call(`/api/courses/${courseId}/lessons/${lesson.id}/attempts`, {});
      const answers = (attempt.questions as Array<{ id: string }>).map(({ id }) => {
        const q = lesson.quiz?.questions.find((x) => x.id === id);
        if (!q) throw new Error(`question ${id} is not in lesson ${lesson.id}`);
        if (q.kind === 'true-false') return { questionId: id, value: q.answer ?? false };
        if (q.kind === 'short') return { questionId: id, text: q.accept[0] ?? '' };
        return { questionId: id, choices: q.options.filter((o) => o.correct).map((o) => o.id) };
      });
      const result = await call(`/api/attempts/${attempt.id as string}/submit`, { answers });
      if (!result.passed) throw new Error(`could not pass ${lesson.id}: ${JSON.stringify(result)}`);
    } else throw new Error(`lesson ${lesson.id} is of a kind this client cannot pass: ${lesson.kind}`);
  };
  const last = lessons.at(-1);
  if (!last) throw new Error(`course ${courseId} has no lesson`);
  await call(`/api/courses/${courseId}/enrolments`, {});
  for (const lesson of lessons.slice(0, -1)) await pass(lesson);
  return () => pass(last);
}
