import type { CourseDoc, Lesson, Question } from '@hts/contracts';

/** Edits a trainer makes to a draft, one form at a time; the API validates the whole draft on save and publish. */

/** A lower-case id from a title ("Bài 1: Điện thoại" -> "bai-1-dien-thoai"), unique among `taken`. */
export function idFrom(title: string, taken: Set<string>): string {
  const base =
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'muc';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function addModule(doc: CourseDoc, title: string): CourseDoc {
  const id = idFrom(title, new Set(doc.modules.map((m) => m.id)));
  return { ...doc, modules: [...doc.modules, { id, title, competences: doc.competences, targetGroups: doc.targetGroups, lessons: [] }] };
}

export type NewLesson =
  | { kind: 'text'; title: string; markdown: string }
  | { kind: 'video'; title: string; mediaAssetId: string; durationSeconds: number }
  | { kind: 'quiz'; title: string; passPercent: number };

export function addLesson(doc: CourseDoc, moduleId: string, input: NewLesson): CourseDoc {
  const taken = new Set(doc.modules.flatMap((m) => m.lessons.map((l) => l.id)));
  return {
    ...doc,
    modules: doc.modules.map((m) => {
      if (m.id !== moduleId) return m;
      const lesson: Lesson = {
        id: `${m.id}.${idFrom(input.title, new Set([...taken].filter((id) => id.startsWith(`${m.id}.`)).map((id) => id.slice(m.id.length + 1))))}`,
        title: input.title,
        kind: input.kind,
        minutes: input.kind === 'video' ? Math.max(1, Math.ceil(input.durationSeconds / 60)) : 5,
        required: true,
        competences: m.competences,
        targetGroups: m.targetGroups,
      };
      if (input.kind === 'text') lesson.text = { markdown: input.markdown };
      if (input.kind === 'video') lesson.video = { hlsUrl: null, mediaAssetId: input.mediaAssetId, durationSeconds: input.durationSeconds, watchPercent: 90 };
      if (input.kind === 'quiz') lesson.quiz = { passPercent: input.passPercent, drawCount: null, questions: [] };
      return { ...m, lessons: [...m.lessons, lesson] };
    }),
  };
}

/**
 * One question from the form. Answers are lines: for choices, a leading * marks the right ones; for
 * true/false, "đúng"/"true" or "sai"/"false"; for short answers, every line is an accepted answer.
 */
export function questionFromForm(
  input: { kind: Question['kind']; prompt: string; answers: string; correct: string; incorrect: string },
  taken: Set<string>,
): Question {
  const lines = input.answers
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const base: Question = {
    id: idFrom(input.prompt.slice(0, 40), taken),
    kind: input.kind,
    prompt: input.prompt,
    options: [],
    answer: null,
    accept: [],
    feedback: { correct: input.correct, incorrect: input.incorrect },
    competences: [],
  };
  if (input.kind === 'single' || input.kind === 'multiple') {
    base.options = lines.map((line, i) => ({ id: String.fromCharCode(97 + i), text: line.replace(/^\*\s*/, ''), correct: line.startsWith('*') }));
  } else if (input.kind === 'true-false') {
    const first = (lines[0] ?? '').toLowerCase();
    base.answer = first === 'đúng' || first === 'dung' || first === 'true';
  } else base.accept = lines;
  return base;
}

export function addQuestion(doc: CourseDoc, lessonId: string, make: (taken: Set<string>) => Question): CourseDoc {
  return {
    ...doc,
    modules: doc.modules.map((m) => ({
      ...m,
      lessons: m.lessons.map((l) => {
        if (l.id !== lessonId || !l.quiz) return l;
        const question = { ...make(new Set(l.quiz.questions.map((q) => q.id))), competences: l.competences };
        return { ...l, quiz: { ...l.quiz, questions: [...l.quiz.questions, question] } };
      }),
    })),
  };
}

/** Swaps an item with its neighbour (delta -1: up, +1: down); at either end the list is unchanged. */
function moved<T>(list: T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || to < 0 || to >= list.length) return list;
  const out = [...list];
  [out[index], out[to]] = [out[to] as T, out[index] as T];
  return out;
}

export type MoveTarget =
  | { kind: 'module'; moduleId: string }
  | { kind: 'lesson'; lessonId: string }
  | { kind: 'question'; lessonId: string; questionId: string };

/**
 * Moves a module, a lesson (within its module: its id starts with the module's) or a question one place up
 * or down. Buttons rather than dragging, so it works with a thumb on a small screen and with a keyboard.
 */
export function move(doc: CourseDoc, target: MoveTarget, delta: -1 | 1): CourseDoc {
  if (target.kind === 'module') {
    return {
      ...doc,
      modules: moved(
        doc.modules,
        doc.modules.findIndex((m) => m.id === target.moduleId),
        delta,
      ),
    };
  }
  return {
    ...doc,
    modules: doc.modules.map((m) => {
      if (target.kind === 'lesson')
        return {
          ...m,
          lessons: moved(
            m.lessons,
            m.lessons.findIndex((l) => l.id === target.lessonId),
            delta,
          ),
        };
      return {
        ...m,
        lessons: m.lessons.map((l) =>
          l.id === target.lessonId && l.quiz
            ? {
                ...l,
                quiz: {
                  ...l.quiz,
                  questions: moved(
                    l.quiz.questions,
                    l.quiz.questions.findIndex((q) => q.id === target.questionId),
                    delta,
                  ),
                },
              }
            : l,
        ),
      };
    }),
  };
}

/** Pass mark and how many questions each attempt draws at random (null: all of them, in order). */
export function setQuizSettings(doc: CourseDoc, lessonId: string, settings: { passPercent: number; drawCount: number | null }): CourseDoc {
  return {
    ...doc,
    modules: doc.modules.map((m) => ({
      ...m,
      lessons: m.lessons.map((l) => (l.id === lessonId && l.quiz ? { ...l, quiz: { ...l.quiz, ...settings } } : l)),
    })),
  };
}

export function removeQuestion(doc: CourseDoc, lessonId: string, questionId: string): CourseDoc {
  return {
    ...doc,
    modules: doc.modules.map((m) => ({
      ...m,
      lessons: m.lessons.map((l) =>
        l.id === lessonId && l.quiz
          ? {
              ...l,
              quiz: {
                ...l.quiz,
                questions: l.quiz.questions.filter((q) => q.id !== questionId),
                drawCount: clampDraw(l.quiz.drawCount, l.quiz.questions.length - 1),
              },
            }
          : l,
      ),
    })),
  };
}

const clampDraw = (draw: number | null, count: number) => (draw === null ? null : Math.max(1, Math.min(draw, count)));

/** The course completion rule: null, every required lesson; a quiz lesson id, passing that final test. */
export function setFinalTest(doc: CourseDoc, lessonId: string | null): CourseDoc {
  const quiz = lessonId ? doc.modules.some((m) => m.lessons.some((l) => l.id === lessonId && l.kind === 'quiz')) : false;
  return { ...doc, finalTestId: quiz ? lessonId : null };
}
