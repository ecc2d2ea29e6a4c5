import type { CourseDoc, ProgressResult } from '@hts/contracts';
import { type Db, type EnrolmentRow, inlineText, type LessonProgressRow, type NewProgressEventRow, type NewXapiStatementRow, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { statementInsertParts } from '../xapi/write-statements.ts';
import { type CourseState, versionDoc } from './enrolment-state.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The two statements of a progress batch besides its lock: one read of everything the batch needs, one
 * write of everything it changes. Each statement waits its turn at the database under load, so the batch's
 * cost is set by how many it sends, not by how many rows they carry. Rows travel as JSON (jsonb_to_recordset),
 * and every value is written into the statement (inlineText), never sent as a parameter: postgres.js sends
 * a statement with parameters in two round trips and holds the connection meanwhile, one without in one
 * round trip, and the next can follow at once (so the lock and the read share a round trip).
 */

/** An event the learner already sent: its request hash (a replay must match it) and the answer it got. */
export interface StoredEvent {
  id: string;
  hash: string;
  result: ProgressResult;
}

export interface BatchState {
  stored: Map<string, StoredEvent>;
  /** Per course id of the batch: whether it is published and the learner's enrolment state in it. */
  courses: Map<string, CourseState>;
}

interface EnrolmentJson {
  id: string;
  userId: string;
  courseId: string;
  versionId: string;
  lastLessonId: string | null;
  lastActivityAt: string;
  createdAt: string;
}
interface ProgressJson {
  lessonId: string;
  openedAt: string;
  completedAt: string | null;
  videoIntervals: Array<[number, number]>;
  videoPosition: number;
  flaggedReports: number;
  externalResult: string | null;
}
interface CourseJson {
  courseId: string;
  published: boolean;
  enrolment: EnrolmentJson | null;
  completedAt: string | null;
  progress: ProgressJson[];
}

/** json and jsonb come parsed from postgres.js and PGlite alike; a driver that answers text is parsed here. */
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * The events of the batch already stored for the learner, and for each course of the batch its published
 * flag, the learner's enrolment, course completion and lesson progress: one statement. Send it after the
 * learner's lock (pipelined: the same round trip), never inside the lock's statement: a statement reads
 * from the snapshot it started with, so one that waited for the lock would miss what the holder committed.
 * The version document comes from the process's cache (read once per version).
 */
export async function readBatchState(tx: Tx, userId: string, eventIds: string[], courseIds: string[]): Promise<BatchState> {
  const [row] = await queryRows<{ stored: unknown; courses: unknown }>(
    tx as unknown as Db,
    sql`select
      (select coalesce(json_agg(json_build_object('id', p.event_id, 'hash', p.request_hash, 'result', p.result)), '[]'::json)
         from progress_events p
         where p.user_id = ${inlineText(userId)} and p.event_id = any(array(select jsonb_array_elements_text(${inlineText(JSON.stringify(eventIds))}::jsonb)))) as stored,
      (select coalesce(json_agg(json_build_object(
           'courseId', c.id,
           'published', c.published_version_id is not null,
           'enrolment', case when e.id is null then null else json_build_object('id', e.id, 'userId', e.user_id, 'courseId', e.course_id,
             'versionId', e.version_id, 'lastLessonId', e.last_lesson_id, 'lastActivityAt', e.last_activity_at, 'createdAt', e.created_at) end,
           'completedAt', cc.completed_at,
           'progress', (select coalesce(json_agg(json_build_object('lessonId', lp.lesson_id, 'openedAt', lp.opened_at, 'completedAt', lp.completed_at,
               'videoIntervals', lp.video_intervals, 'videoPosition', lp.video_position, 'flaggedReports', lp.flagged_reports,
               'externalResult', lp.external_result)), '[]'::json)
             from lesson_progress lp where lp.enrolment_id = e.id))), '[]'::json)
         from courses c
         left join enrolments e on e.course_id = c.id and e.user_id = ${inlineText(userId)}
         left join course_completions cc on cc.enrolment_id = e.id
         where c.id = any(array(select jsonb_array_elements_text(${inlineText(JSON.stringify(courseIds))}::jsonb)::uuid))) as courses`,
  );
  const stored = new Map(parsed<StoredEvent[]>(row?.stored ?? []).map((s) => [s.id, s]));
  const courses = new Map<string, CourseState>();
  for (const c of parsed<CourseJson[]>(row?.courses ?? [])) {
    if (!c.enrolment) {
      courses.set(c.courseId, { published: c.published, state: null });
      continue;
    }
    const enrolment = enrolmentRow(c.enrolment);
    const version = await versionDoc(tx as unknown as Db, enrolment.versionId);
    if (!version) throw new Error(`enrolment ${enrolment.id} points at a missing version`);
    courses.set(c.courseId, {
      published: c.published,
      state: {
        enrolment,
        doc: version.doc as CourseDoc,
        versionNumber: version.number,
        progress: new Map(c.progress.map((p) => [p.lessonId, progressRow(enrolment.id, p)])),
        completedAt: c.completedAt ? new Date(c.completedAt) : null,
      },
    });
  }
  for (const id of courseIds) if (!courses.has(id)) courses.set(id, { published: false, state: null });
  return { stored, courses };
}

function enrolmentRow(e: EnrolmentJson): EnrolmentRow {
  return {
    id: e.id,
    userId: e.userId,
    courseId: e.courseId,
    versionId: e.versionId,
    lastLessonId: e.lastLessonId,
    lastActivityAt: new Date(e.lastActivityAt),
    createdAt: new Date(e.createdAt),
  };
}

function progressRow(enrolmentId: string, p: ProgressJson): LessonProgressRow {
  return {
    enrolmentId,
    lessonId: p.lessonId,
    openedAt: new Date(p.openedAt),
    completedAt: p.completedAt ? new Date(p.completedAt) : null,
    videoIntervals: p.videoIntervals,
    videoPosition: p.videoPosition,
    flaggedReports: p.flaggedReports,
    externalResult: p.externalResult,
  };
}

/** A lesson the batch changed: its row as it now stands in memory, and how many impossible reports it adds. */
export interface TouchedLesson {
  row: LessonProgressRow;
  addFlagged: number;
}

export interface BatchWrite {
  events: NewProgressEventRow[];
  lessons: TouchedLesson[];
  enrolments: Array<{ id: string; lastLessonId: string | null; at: Date }>;
  statements: NewXapiStatementRow[];
}

/**
 * Everything a batch changes, as one statement: the events (with the answers a replay gets back), one upsert
 * of the lessons touched (completed_at is written once: coalesce keeps the first completion; flagged reports
 * add to what is stored), where each enrolment was last active, and the xAPI statements. Answers the ids
 * of the statements inserted: one already stored is skipped, and the caller checks it holds the same
 * content.
 */
export async function writeBatch(tx: Tx, batch: BatchWrite): Promise<Set<string>> {
  const events = JSON.stringify(
    batch.events.map((e) => ({
      user_id: e.userId,
      event_id: e.eventId,
      enrolment_id: e.enrolmentId,
      lesson_id: e.lessonId,
      kind: e.kind,
      request_hash: e.requestHash,
      result: e.result,
      flagged: e.flagged ?? false,
      created_at: e.createdAt,
    })),
  );
  const lessons = JSON.stringify(
    batch.lessons.map(({ row, addFlagged }) => ({
      enrolment_id: row.enrolmentId,
      lesson_id: row.lessonId,
      opened_at: row.openedAt,
      completed_at: row.completedAt,
      video_intervals: row.videoIntervals,
      video_position: row.videoPosition,
      flagged_reports: addFlagged,
      external_result: row.externalResult,
    })),
  );
  const enrolments = JSON.stringify(batch.enrolments.map((e) => ({ id: e.id, last_lesson_id: e.lastLessonId, at: e.at })));
  // the statements' part is always there (an empty insert costs nothing), so the query text never varies
  const [row] = await queryRows<{ inserted: unknown }>(
    tx as unknown as Db,
    sql`with
      events as (
        insert into progress_events (user_id, event_id, enrolment_id, lesson_id, kind, request_hash, result, flagged, created_at)
        select r.user_id, r.event_id, r.enrolment_id, r.lesson_id, r.kind, r.request_hash, r.result, r.flagged, r.created_at
        from jsonb_to_recordset(${inlineText(events)}::jsonb) as r(user_id uuid, event_id text, enrolment_id uuid, lesson_id text, kind text, request_hash text,
          result jsonb, flagged boolean, created_at timestamptz)
      ),
      lessons as (
        insert into lesson_progress (enrolment_id, lesson_id, opened_at, completed_at, video_intervals, video_position, flagged_reports, external_result)
        select r.enrolment_id, r.lesson_id, r.opened_at, r.completed_at, r.video_intervals, r.video_position, r.flagged_reports, r.external_result
        from jsonb_to_recordset(${inlineText(lessons)}::jsonb) as r(enrolment_id uuid, lesson_id text, opened_at timestamptz, completed_at timestamptz,
          video_intervals jsonb, video_position real, flagged_reports integer, external_result text)
        order by r.enrolment_id, r.lesson_id
        on conflict (enrolment_id, lesson_id) do update set
          completed_at = coalesce(lesson_progress.completed_at, excluded.completed_at),
          video_intervals = excluded.video_intervals,
          video_position = excluded.video_position,
          external_result = excluded.external_result,
          flagged_reports = lesson_progress.flagged_reports + excluded.flagged_reports
      ),
      moved as (
        update enrolments e set last_activity_at = r.at, last_lesson_id = r.last_lesson_id
        from jsonb_to_recordset(${inlineText(enrolments)}::jsonb) as r(id uuid, last_lesson_id text, at timestamptz)
        where e.id = r.id
      ),
      ${statementInsertParts(batch.statements, 'skip')}
    select coalesce(json_agg(id), '[]'::json) as inserted from xapi_inserted`,
  );
  return new Set(parsed<string[]>(row?.inserted ?? []));
}
