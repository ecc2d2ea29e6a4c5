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
    /** The learner's enrolment (the cmi5 registration); null for a trainer's preview, whose registration is the launch id. */
    enrolmentId: uuid().references(() => enrolments.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The course the lesson belongs to (set on every launch since 0022; a preview has no enrolment to name it). */
    courseId: uuid().references(() => courses.id, { onDelete: 'cascade' }),
    lessonId: text().notNull(),
    activityId: text().notNull(),
    /** cmi5 launchMode: Normal, or Review once the lesson is completed (the record never changes from Review). */
    launchMode: text().notNull().default('Normal'),
    /** A trainer's "preview as a learner": its statements never count as anyone's learning. */
    preview: boolean().notNull().default(false),
    fetchCodeHash: text().notNull(),
    /** The fetch URL works once, before this instant. */
    fetchBy: timestamp({ withTimezone: true }).notNull(),
    fetchedAt: timestamp({ withTimezone: true }),
    tokenHash: text(),
    expiresAt: timestamp({ withTimezone: true }),
    /** When the session's token last stored statements (for the duration of an abandoned session). */
    lastStatementAt: timestamp({ withTimezone: true }),
    /** The session ended: by the activity's "terminated", or "abandoned" written by the platform's job. */
    endedAt: timestamp({ withTimezone: true }),
    endedAs: text({ enum: ['terminated', 'abandoned'] }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.enrolmentId, t.lessonId),
    // the abandon job's two scans: sessions never started past their fetch URL, started ones past their token
    index('external_launches_open_fetch_by_index').on(t.fetchBy).where(sql`${t.endedAt} is null and ${t.fetchedAt} is null`),
    index('external_launches_open_expires_at_index').on(t.expiresAt).where(sql`${t.endedAt} is null and ${t.fetchedAt} is not null`),
    index('external_launches_ended_at_index').on(t.endedAt),
    check('external_launches_ended_as', sql`(${t.endedAt} is null) = (${t.endedAs} is null)`),
    check('external_launches_registration', sql`${t.enrolmentId} is not null or ${t.preview}`),
  ],
);
export type ExternalLaunchRow = typeof externalLaunches.$inferSelect;
