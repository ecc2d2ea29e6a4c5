import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';
import { CourseDoc, CourseLevel } from './course-doc.ts';

const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 3, maxLength: 80 });
const LessonId = Type.String({ minLength: 1, maxLength: 160 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CompetenceRef = Type.Object({ code: Type.String(), name: Type.String() });
export const CourseSummary = Type.Object({
  id: Uuid,
  slug: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  level: Type.String(),
  durationMinutes: Type.Integer(),
  competences: Type.Array(CompetenceRef),
  targetGroups: Type.Array(Type.String()),
  enrolmentCount: Type.Integer(),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type CourseSummary = Static<typeof CourseSummary>;

export const CatalogQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    competence: Type.Optional(Type.String({ maxLength: 64 })),
    targetGroup: Type.Optional(Type.String({ maxLength: 64 })),
    level: Type.Optional(CourseLevel),
    maxMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('popular')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
  },
  { additionalProperties: false },
);
export type CatalogQuery = Static<typeof CatalogQuery>;
export const CatalogPage = Type.Object({ items: Type.Array(CourseSummary), nextCursor: Nullable(Type.String()) });
export type CatalogPage = Static<typeof CatalogPage>;

export const SlugParams = Type.Object({ slug: Slug });
export type SlugParams = Static<typeof SlugParams>;
export const CourseIdParams = Type.Object({ id: Uuid });
export type CourseIdParams = Static<typeof CourseIdParams>;
export const LessonParams = Type.Object({ id: Uuid, lessonId: LessonId });
export type LessonParams = Static<typeof LessonParams>;
export const AttemptParams = Type.Object({ id: Uuid });
export type AttemptParams = Static<typeof AttemptParams>;

export const LessonStatus = Type.Union([Type.Literal('locked'), Type.Literal('open'), Type.Literal('started'), Type.Literal('completed')]);
export const OutlineLesson = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: Type.String(),
  minutes: Type.Integer(),
  required: Type.Boolean(),
  status: Type.Optional(LessonStatus),
});
/** A learner's progress through a course, as its completion rule counts it (optional lessons never count). */
export const CourseProgressFields = {
  completedLessons: Type.Integer({
    description: 'counted lessons completed: the required lessons, and the final test when the course has one; optional lessons never count',
  }),
  totalLessons: Type.Integer({ description: 'counted lessons: the required lessons, and the final test when the course has one' }),
  percent: Type.Integer({ minimum: 0, maximum: 100, description: 'completedLessons of totalLessons, floored; 100 only once the course is completed' }),
  finalTest: Nullable(
    Type.Object({ lessonId: Type.String(), title: Type.String(), passed: Type.Boolean() }, { description: 'the course completes by passing this test' }),
  ),
};
export const CoursePage = Type.Object({
  course: CourseSummary,
  sequence: Type.String(),
  versionNumber: Type.Integer(),
  modules: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), lessons: Type.Array(OutlineLesson) })),
  enrolment: Nullable(
    Type.Object({
      id: Uuid,
      versionNumber: Type.Integer(),
      newerVersion: Type.Boolean(),
      ...CourseProgressFields,
      completedAt: Nullable(Type.String({ format: 'date-time' })),
      nextLessonId: Nullable(Type.String()),
    }),
  ),
});
export type CoursePage = Static<typeof CoursePage>;

export const Enrolment = Type.Object({ id: Uuid, courseId: Uuid, versionNumber: Type.Integer(), createdAt: Type.String({ format: 'date-time' }) });
export type Enrolment = Static<typeof Enrolment>;

export const PlayerQuestion = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  prompt: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
});
export const LessonView = Type.Object({
  id: Type.String(),
  courseId: Uuid,
  title: Type.String(),
  kind: Type.String(),
  status: LessonStatus,
  html: Type.Optional(Type.String({ description: 'sanitised HTML of a text lesson' })),
  video: Type.Optional(
    Type.Object({
      hlsUrl: Nullable(Type.String()),
      mediaAssetId: Nullable(Type.String()),
      durationSeconds: Type.Number(),
      watchPercent: Type.Integer(),
      position: Type.Number(),
    }),
  ),
  quiz: Type.Optional(Type.Object({ passPercent: Type.Integer(), questionCount: Type.Integer(), passed: Type.Boolean() })),
  external: Type.Optional(Type.Object({ launchUrl: Type.String(), rule: Type.String() })),
  previousLessonId: Nullable(Type.String()),
  nextLessonId: Nullable(Type.String()),
});
export type LessonView = Static<typeof LessonView>;

export const ProgressEvent = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9._:-]{8,128}$', description: 'chosen by the client; a replay returns the first answer' }),
    courseId: Uuid,
    lessonId: LessonId,
    kind: Type.Union([Type.Literal('opened'), Type.Literal('video'), Type.Literal('external')]),
    video: Type.Optional(
      Type.Object(
        {
          intervals: Type.Array(Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })]), { maxItems: 100 }),
          position: Type.Number({ minimum: 0 }),
          wallSeconds: Type.Number({ minimum: 0, maximum: 86_400, description: 'real time the intervals took to play' }),
        },
        { additionalProperties: false },
      ),
    ),
    external: Type.Optional(
      Type.Object({ result: Type.Union([Type.Literal('completed'), Type.Literal('passed'), Type.Literal('failed')]) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type ProgressEvent = Static<typeof ProgressEvent>;
export const ProgressBatch = Type.Object({ events: Type.Array(ProgressEvent, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export type ProgressBatch = Static<typeof ProgressBatch>;
export const ProgressResult = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
  lessonCompleted: Type.Boolean(),
  courseCompleted: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  replayed: Type.Boolean(),
});
export type ProgressResult = Static<typeof ProgressResult>;
export const ProgressResults = Type.Object({ results: Type.Array(ProgressResult) });
export type ProgressResults = Static<typeof ProgressResults>;

export const LessonPreview = Type.Object({
  courseTitle: Type.String(),
  lesson: LessonView,
  questions: Type.Array(PlayerQuestion, { description: 'the whole question bank of a quiz, as learners see each question (no answers)' }),
});
export type LessonPreview = Static<typeof LessonPreview>;

export const QuizAttempt = Type.Object({ id: Uuid, lessonId: Type.String(), questions: Type.Array(PlayerQuestion), passPercent: Type.Integer() });
export type QuizAttempt = Static<typeof QuizAttempt>;
export const AnswerInput = Type.Object(
  {
    questionId: Type.String({ maxLength: 160 }),
    choices: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 12 })),
    value: Type.Optional(Type.Boolean()),
    text: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const SubmitAttemptBody = Type.Object({ answers: Type.Array(AnswerInput, { maxItems: 200 }) }, { additionalProperties: false });
export type SubmitAttemptBody = Static<typeof SubmitAttemptBody>;
export const AttemptResult = Type.Object({
  id: Uuid,
  scorePercent: Type.Integer(),
  passed: Type.Boolean(),
  courseCompleted: Type.Boolean(),
  feedback: Type.Array(Type.Object({ questionId: Type.String(), correct: Type.Boolean(), feedback: Type.String() })),
});
export type AttemptResult = Static<typeof AttemptResult>;

export const MyLearning = Type.Object({
  items: Type.Array(
    Type.Object({
      course: CourseSummary,
      ...CourseProgressFields,
      completedAt: Nullable(Type.String({ format: 'date-time' })),
      nextLessonId: Nullable(Type.String()),
      lastActivityAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type MyLearning = Static<typeof MyLearning>;

export const TrainerCourse = Type.Object({
  id: Uuid,
  slug: Type.String(),
  title: Type.String(),
  ownerId: Nullable(Uuid),
  hasDraft: Type.Boolean(),
  publishedVersion: Nullable(Type.Integer()),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type TrainerCourse = Static<typeof TrainerCourse>;
export const TrainerCourseList = Type.Object({ items: Type.Array(TrainerCourse) });
export type TrainerCourseList = Static<typeof TrainerCourseList>;
export const CreateCourseBody = Type.Object({ slug: Slug, title: Type.String({ minLength: 3, maxLength: 200 }) }, { additionalProperties: false });
export type CreateCourseBody = Static<typeof CreateCourseBody>;
export const CourseDraft = Type.Object({ course: TrainerCourse, draft: CourseDoc });
export type CourseDraft = Static<typeof CourseDraft>;
export const SaveDraftBody = Type.Object({ draft: CourseDoc }, { additionalProperties: false });
export type SaveDraftBody = Static<typeof SaveDraftBody>;
export const SetOwnerBody = Type.Object({ ownerId: Uuid }, { additionalProperties: false });
export type SetOwnerBody = Static<typeof SetOwnerBody>;

export const ImportPackageQuery = Type.Object(
  { slug: Type.Optional(Slug) },
  { additionalProperties: false, description: 'slug: import under this slug instead of the package folder name' },
);
export type ImportPackageQuery = Static<typeof ImportPackageQuery>;

export const BulkEnrolBody = Type.Object(
  {
    contacts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: 2000,
        description: 'phone numbers or e-mail addresses, one per person',
      }),
    ),
    communeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'everyone registered in this commune…' })),
    targetGroupCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '…and, when given, in this target group' })),
    dryRun: Type.Optional(Type.Boolean({ description: 'true: count and report without enrolling anyone (the preview before confirming)' })),
  },
  { additionalProperties: false, description: 'either contacts, or communeCode (with an optional targetGroupCode)' },
);
export type BulkEnrolBody = Static<typeof BulkEnrolBody>;
export const BulkEnrolResult = Type.Object({
  versionNumber: Type.Integer({ description: 'the version the new enrolments are pinned to' }),
  matched: Type.Integer({ description: 'people found' }),
  enrolled: Type.Integer({ description: 'newly enrolled' }),
  alreadyEnrolled: Type.Integer(),
  notFound: Type.Array(Type.String(), { description: 'contacts no account has' }),
  invalid: Type.Array(Type.String(), { description: 'contacts that are neither a phone number nor an e-mail address' }),
  outsideScope: Type.Array(Type.String(), { description: 'people found outside the communes you cover (not enrolled)' }),
  dryRun: Type.Boolean({ description: 'true: nothing was written; enrolled is how many would be' }),
});
export type BulkEnrolResult = Static<typeof BulkEnrolResult>;

export const VersionMove = Type.Object({
  moved: Type.Boolean({ description: 'false: you were on the newest version already' }),
  fromVersion: Type.Integer(),
  versionNumber: Type.Integer(),
  keptLessons: Type.Array(Type.String(), { description: 'lessons whose progress carried over (unchanged content)' }),
  resetLessons: Type.Array(Type.String(), { description: 'lessons changed or removed: their progress starts again' }),
  courseCompleted: Type.Boolean(),
});
export type VersionMove = Static<typeof VersionMove>;

export const Recommendations = Type.Object({
  items: Type.Array(
    Type.Object({
      course: CourseSummary,
      forYourGroup: Type.Boolean({ description: 'the course names your target group' }),
      newCompetences: Type.Array(Type.String(), { description: 'competence codes it teaches that none of your completed courses did' }),
    }),
  ),
});
export type Recommendations = Static<typeof Recommendations>;

export const LaunchBody = Type.Object(
  {
    origin: Type.Optional(
      Type.String({
        maxLength: 200,
        pattern: '^https?://[^/?#\\s]+$',
        description: 'the web address the learner opened (scheme, host, port): the activity reaches /xapi/ and the fetch URL through it; default PUBLIC_URL',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LaunchBody = Static<typeof LaunchBody>;
export const ExternalLaunch = Type.Object({
  launchUrl: Type.String({ description: 'the activity URL with the cmi5 launch parameters endpoint, fetch, actor, registration, activityId' }),
  endpoint: Type.String(),
  fetch: Type.String({ description: 'POST once to get the auth token' }),
  actor: Type.Record(Type.String(), Type.Unknown()),
  registration: Type.String({ description: "the enrolment id (a trainer's preview: the session's own id)" }),
  activityId: Type.String(),
  fetchBy: Type.String({ format: 'date-time', description: 'the fetch URL stops working at this instant' }),
  sessionId: Type.String({ description: 'the cmi5 session this launch starts (the sessionid context extension)' }),
  launchMode: Type.Union([Type.Literal('Normal'), Type.Literal('Review')], {
    description: 'cmi5 launchMode: Review once the lesson is completed, so the learner can look again without changing their record',
  }),
  preview: Type.Boolean({ description: "a trainer's preview: its statements never count as anyone's learning" }),
});
export type ExternalLaunch = Static<typeof ExternalLaunch>;
export const LaunchFetchParams = Type.Object({ id: Uuid });
export const LaunchFetchQuery = Type.Object({ k: Type.String({ maxLength: 200 }) });
export type LaunchFetchQuery = Static<typeof LaunchFetchQuery>;
export const LaunchFetchAnswer = Type.Union(
  [
    Type.Object({ 'auth-token': Type.String({ description: 'send as "Authorization: Basic <auth-token>" to the endpoint' }) }),
    Type.Object({
      'error-code': Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')], {
        description: '1: fetched already or expired; 2: not a valid fetch URL; 3: application error',
      }),
      'error-text': Type.String(),
    }),
  ],
  { description: 'cmi5 §8.2: always HTTP 200' },
);
