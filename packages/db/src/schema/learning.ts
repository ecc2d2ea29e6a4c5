import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { courses, courseVersions } from './courses.ts';
import { users } from './users.ts';

/** A learner in a course, pinned to the version they started; a new version never moves them silently. */
export const enrolments = pgTable(
  'enrolments',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: uuid()
      .notNull()
      .references(() => courses.id),
    versionId: uuid()
      .notNull()
      .references(() => courseVersions.id),
    lastLessonId: text(),
    lastActivityAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.userId, t.courseId), index().on(t.userId, t.lastActivityAt)],
);

/** Learning records belong to their enrolment and go with it (a user's data deletion removes them). */
const enrolmentRef = () =>
  uuid()
    .notNull()
    .references(() => enrolments.id, { onDelete: 'cascade' });

/** Where a learner stands in one lesson; completedAt is set once, by the server's rule for the lesson kind. */
export const lessonProgress = pgTable(
  'lesson_progress',
  {
    enrolmentId: enrolmentRef(),
    lessonId: text().notNull(),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
    /** Played intervals in seconds, merged on the server: [[start, end], …]. */
    videoIntervals: jsonb().$type<Array<[number, number]>>().notNull().default([]),
    videoPosition: real().notNull().default(0),
    /** Reports rejected as impossible (beyond the media, faster than real time). */
    flaggedReports: integer().notNull().default(0),
    externalResult: text(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.lessonId] })],
);

/**
 * Every progress write, keyed by the id the client chose: a replay returns the stored answer, the same id
 * with other content is a conflict. Keyed per user so one learner cannot probe another's ids.
 */
export const progressEvents = pgTable(
  'progress_events',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    eventId: text().notNull(),
    enrolmentId: enrolmentRef(),
    lessonId: text().notNull(),
    kind: text().notNull(),
    requestHash: text().notNull(),
    result: jsonb().$type<Record<string, unknown>>().notNull(),
    flagged: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.eventId] })],
);

/** A quiz attempt: drawn questions fixed at start; answered once; never rewritten after submission. */
export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: id(),
    enrolmentId: enrolmentRef(),
    lessonId: text().notNull(),
    questionIds: text().array().notNull(),
    status: text().notNull().default('open'),
    answers: jsonb().$type<Record<string, unknown>>(),
    scorePercent: integer(),
    passed: boolean(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.enrolmentId, t.lessonId), check('quiz_attempts_status_check', sql`${t.status} in ('open', 'submitted')`)],
);

/** Append-only (a trigger rejects UPDATE and DELETE): one per enrolment, written once. */
export const courseCompletions = pgTable(
  'course_completions',
  {
    id: id(),
    enrolmentId: uuid()
      .notNull()
      .references(() => enrolments.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    courseId: uuid()
      .notNull()
      .references(() => courses.id),
    versionId: uuid()
      .notNull()
      .references(() => courseVersions.id),
    completedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.enrolmentId), index().on(t.userId)],
);

export type EnrolmentRow = typeof enrolments.$inferSelect;
export type LessonProgressRow = typeof lessonProgress.$inferSelect;
export type NewProgressEventRow = typeof progressEvents.$inferInsert;
export type QuizAttemptRow = typeof quizAttempts.$inferSelect;
export type CourseCompletionRow = typeof courseCompletions.$inferSelect;

/**
 * One launch of an external activity (cmi5): the one-time fetch code and, once fetched, the auth token are
 * stored only as SHA-256 hashes. The token acts for this learner, this registration (the enrolment) and this
 * activity only, until expiresAt.
 */
export const externalLaunches = pgTable(
  'external_launches',
  {
    id: id(),
    enrolmentId: enrolmentRef(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lessonId: text().notNull(),
    activityId: text().notNull(),
    fetchCodeHash: text().notNull(),
    /** The fetch URL works once, before this instant. */
    fetchBy: timestamp({ withTimezone: true }).notNull(),
    fetchedAt: timestamp({ withTimezone: true }),
    tokenHash: text(),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.enrolmentId, t.lessonId)],
);
export type ExternalLaunchRow = typeof externalLaunches.$inferSelect;
