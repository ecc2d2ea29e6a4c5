import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The whole of a course as one document: what a trainer edits as a draft and what publishing freezes into
 * an immutable version. content/courses/<slug>/ folders load into exactly this shape.
 */
const Code = Type.String({ minLength: 1, maxLength: 64 });
const LocalId = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*([.][a-z0-9]+(-[a-z0-9]+)*)?$', maxLength: 160, description: 'stable id within the course' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const questionKinds: readonly Question['kind'][] = ['single', 'multiple', 'true-false', 'short'];
export const lessonKinds: readonly Lesson['kind'][] = ['text', 'video', 'quiz', 'external'];
export const courseLevels: readonly CourseDoc['level'][] = ['co-ban', 'trung-cap', 'nang-cao'];

export const CourseLevel = Type.Union([Type.Literal('co-ban'), Type.Literal('trung-cap'), Type.Literal('nang-cao')]);

export const QuestionOption = Type.Object({ id: Code, text: Text(500), correct: Type.Boolean() }, { additionalProperties: false });

export const Question = Type.Object(
  {
    id: LocalId,
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('true-false'), Type.Literal('short')]),
    prompt: Text(2000),
    options: Type.Array(QuestionOption, { maxItems: 12, description: 'single and multiple choice' }),
    answer: Type.Union([Type.Boolean(), Type.Null()], { description: 'true/false questions' }),
    accept: Type.Array(Text(200), { maxItems: 20, description: 'short answers accepted (compared without case, spaces or diacritics)' }),
    feedback: Type.Object({ correct: Type.String({ maxLength: 1000 }), incorrect: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
    competences: Type.Array(Code, { maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type Question = Static<typeof Question>;

export const Lesson = Type.Object(
  {
    id: LocalId,
    title: Text(200),
    kind: Type.Union([Type.Literal('text'), Type.Literal('video'), Type.Literal('quiz'), Type.Literal('external')]),
    minutes: Type.Integer({ minimum: 1, maximum: 600 }),
    required: Type.Boolean(),
    competences: Type.Array(Code, { maxItems: 30 }),
    targetGroups: Type.Array(Code, { maxItems: 30 }),
    text: Type.Optional(Type.Object({ markdown: Type.String({ maxLength: 200_000 }) }, { additionalProperties: false })),
    video: Type.Optional(
      Type.Object(
        {
          hlsUrl: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
          mediaAssetId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
          durationSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 36_000 }),
          watchPercent: Type.Integer({ minimum: 1, maximum: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
    quiz: Type.Optional(
      Type.Object(
        {
          passPercent: Type.Integer({ minimum: 1, maximum: 100 }),
          drawCount: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'questions drawn per attempt; null = all' }),
          questions: Type.Array(Question, { maxItems: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    external: Type.Optional(
      Type.Object(
        {
          launchUrl: Type.String({ maxLength: 2000 }),
          rule: Type.Union([Type.Literal('completed'), Type.Literal('passed')]),
          activityId: Type.Optional(
            Type.String({
              maxLength: 2000,
              description: 'the xAPI activity id the package reports on (its cmi5 AU id); absent: the launch URL',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Lesson = Static<typeof Lesson>;

export const Module = Type.Object(
  {
    id: LocalId,
    title: Text(200),
    competences: Type.Array(Code, { maxItems: 30 }),
    targetGroups: Type.Array(Code, { maxItems: 30 }),
    lessons: Type.Array(Lesson, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type Module = Static<typeof Module>;

export const CourseDoc = Type.Object(
  {
    title: Text(200),
    summary: Type.String({ maxLength: 1000 }),
    level: CourseLevel,
    language: Type.String({ pattern: '^[a-z]{2}$' }),
    sequence: Type.Union([Type.Literal('locked'), Type.Literal('free')], {
      description: 'locked: a lesson opens only after the previous required one is complete',
    }),
    competences: Type.Array(Code, { maxItems: 30 }),
    targetGroups: Type.Array(Code, { maxItems: 30 }),
    modules: Type.Array(Module, { maxItems: 50 }),
    finalTestId: Type.Optional(
      Type.Union([LocalId, Type.Null()], {
        description: 'course completion rule: absent or null, every required lesson; a quiz lesson id, passing that final test',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CourseDoc = Static<typeof CourseDoc>;

/**
 * Where a value breaks the CourseDoc schema (lengths, counts, formats): one message per path, at most
 * `max`. The API checks drafts with the same schema; content and packages are held to it by this.
 */
export function courseDocErrors(value: unknown, max = 20): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(CourseDoc, value)) {
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    out.push({ path: e.instancePath, message: e.message });
    if (out.length >= max) break;
  }
  return out;
}

/** One item of a competence framework (content/frameworks), as courses map to it. */
export interface CompetenceItem {
  /** framework code + ':' + item code, e.g. tt02:4.2 */
  code: string;
  framework: string;
  groupCode: string;
  groupName: string;
  nameVi: string;
  nameEn: string;
  /** As the source notes mark it ([nguồn phụ], [chưa xác minh], [bản dịch]…); null when confirmed. */
  assumption: string | null;
}
