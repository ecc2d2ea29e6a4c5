import { queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { KIND, lit, syntheticIdSql, uniform } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { rhythmicTimestamp, weekRhythm } from '../time.ts';
import { insertStatementsSql, sqlUuid, withoutSecondaryIndexes } from '../xapi-sql.ts';
import { CHUNK_ROWS } from './citizens.ts';
import { CATALOG_COURSES } from './courses.ts';

/*
 * Learning evidence: enrolments, course completions and the platform's xAPI statements for them.
 * ASSUMPTIONS for load shape, not statistics:
 *  - citizen n enrols in floor(min(10, 0.85/√u)) courses (a course drawn twice is one enrolment): 28 % never,
 *    most once, a few up to ten (≈ 1.1 per citizen);
 *  - the course is 1 + ⌊3000·u⁴⌋ of the catalog (coursesStep): the first 30 courses take about a third of
 *    the enrolments, the first 300 more than half, a long tail the rest;
 *  - enrolments fall between 30 December 2024 and the week of 23 November 2026 (after the citizen's
 *    registration), on the registration's weekly and daily rhythm, more of them later;
 *  - 55 % complete, 0–5 weeks after enrolling (more often early), the others stop after a random share of the
 *    lessons; a completion after 28 November 2026 has not happened yet;
 *  - statements are those the platform records for its own learning events (`recordLearningEvents`): two
 *    `progressed` per lesson done (50 % and 100 %) and one `completed` per completion, each lesson on the
 *    enrolment's weekday and hour a whole number of weeks later, so the weekly rhythm carries over;
 *  - in all ≈ 8.4 rows per citizen: ≈ 30 million at province scale (issue 7's "30 million evidence rows").
 * Credentials (each an Ed25519-signed Open Badge, not a row SQL can make) and the hash chain (each entry hashes
 * the one before: a sequential walk, not a set) are credentialsStep's, in Node after this step.
 * Every completion counts for the "trained" indicators (any course); the digital-skill indicators read
 * confirmations (titlesStep), not completions.
 */

/** The platform's base IRI for synthetic statements: actors are accounts on it, activities live under it. */
export const EVIDENCE_BASE_IRI = 'https://hoc.bacninh.vn';
/** The Monday (local midnight) the evidence starts, its number of weeks, and "now" for the synthetic province. */
export const EVIDENCE_START = '2024-12-30 00:00:00+07';
export const EVIDENCE_WEEKS = 99;
export const EVIDENCE_NOW = '2026-11-28 00:00:00+07';
/** At most this many enrolments per citizen, and the share of enrolments completed. */
const MAX_ENROLMENTS = 10;
export const COMPLETION_SHARE = 0.55;

const PROGRESSED = 'http://adlnet.gov/expapi/verbs/progressed';
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const PROGRESS_EXT = 'https://w3id.org/xapi/cmi5/result/extensions/progress';

/**
 * Enrolments and completions (the rows the indicators and credentials read), then, as a step of its own, the
 * statements the platform recorded for them: at province scale those are ≈ 24 million rows and ≈ 65 GB with
 * their indexes (2.66 kB each, measured at small scale), more than some bench machines hold, so a run can
 * leave that step out (BENCH_SKIP_STEPS) and still measure everything that does not read statements.
 * Both steps draw the same enrolments from the seed, so together they make what one pass would.
 */
export const evidenceStep: GeneratorStep = evidencePart('evidence', 'records');
export const evidenceStatementsStep: GeneratorStep = evidencePart('evidence statements', 'statements');

type EvidencePart = 'records' | 'statements';

function evidencePart(name: string, part: EvidencePart): GeneratorStep {
  return {
    name,
    async run(ctx) {
      const { seed, plan } = ctx;
      const template = ctx.content.courses[0]?.doc as { modules?: Array<{ lessons?: Array<{ id: string }> }> } | undefined;
      const lessons = (template?.modules ?? []).flatMap((m) => (m.lessons ?? []).map((l) => l.id));
      if (lessons.length === 0) throw new Error('the evidence step needs the lessons of the course document coursesStep copies');
      const [courses] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from courses where slug like 'khoa-bench-%'`);
      if ((courses?.n ?? 0) < CATALOG_COURSES) throw new Error('the evidence step enrols into the courses of coursesStep: run it first');
      const before = await counts();
      const load = async () => {
        for (let first = 1; first <= plan.citizens; first += CHUNK_ROWS) {
          const last = Math.min(plan.citizens, first + CHUNK_ROWS - 1);
          await ctx.exec(evidenceSql(first, last, seed, lessons, part));
          ctx.log(`${name}: citizens ${last.toLocaleString('en-US')} / ${plan.citizens.toLocaleString('en-US')}`);
        }
      };
      if (part === 'statements') await withoutSecondaryIndexes(ctx.db, 'xapi_statements', ctx.log, load);
      else await load();
      const after = await counts();
      const rows: Record<string, number> =
        part === 'statements'
          ? { xapi_statements: after.statements - before.statements }
          : { enrolments: after.enrolments - before.enrolments, course_completions: after.completions - before.completions };
      return rows;

      async function counts() {
        const [r] = await queryRows<{ enrolments: number; completions: number; statements: number }>(
          ctx.db,
          sql`select (select count(*)::int from enrolments) as enrolments, (select count(*)::int from course_completions) as completions,
                     (select count(*)::int from xapi_statements) as statements`,
        );
        return r ?? { enrolments: 0, completions: 0, statements: 0 };
      }
    },
  };
}

/** Enrolments, completions and statements of citizens first…last, in one statement (nothing crosses the wire). */
export function evidenceSql(first: number, last: number, seed: number, lessons: readonly string[], part: EvidencePart): string {
  const L = lessons.length;
  const u = (n: string, salt: number) => uniform(n, seed, salt);
  const lessonArray = `array[${lessons.map(lit).join(',')}]::text[]`;
  const start = `timestamptz '${EVIDENCE_START}'`;
  // the week of registration (0 if before the evidence starts): enrolments come after it
  const w0 = `greatest(0, floor(extract(epoch from (e.reg_at - ${start})) / 604800))::int`;
  // salts 72–76 draw the enrolment's week, weekday, hour and second; whole milliseconds, as xAPI stores them,
  // so a completion and its statement hold the same instant
  const enrolledAt = `date_trunc('milliseconds', greatest(e.reg_at + interval '5 minutes', ${weekRhythm(start, `(${w0} + floor((${EVIDENCE_WEEKS} - ${w0}) * sqrt(${u('e.m', 72)})))::int`, 'e.m', seed, 73)}))`;
  const base = EVIDENCE_BASE_IRI;
  const actor = `jsonb_build_object('objectType', 'Agent', 'account', jsonb_build_object('homePage', ${lit(base)}, 'name', t.user_id::text))`;
  const platform = `'{"objectType": "Agent", "name": "Học tập số", "account": {"homePage": ${JSON.stringify(base)}, "name": "platform"}}'::jsonb`;
  const common = `${actor} as actor, ${lit(`account:${base}|`)} || t.user_id as actor_ifi, null::uuid as reg, null::uuid as ref,
      ${platform} as authority, ${lit(`account:${base}|platform`)} as authority_ifi, 'platform' as authority_key, false as voided`;
  const course = `${lit(`${base}/xapi/activities/course/`)} || t.course_id`;
  const draws = `
with x as (
  select n, ${rhythmicTimestamp('n', seed, 20)} as reg_at, floor(least(${MAX_ENROLMENTS}, 0.85 / sqrt(greatest(${u('n', 70)}, 1e-9))))::int as k
  from generate_series(${first}::bigint, ${last}::bigint) as n
),
e as (
  -- a second draw of the same course is the same enrolment (one per user and course): the first j keeps it
  select distinct on (x.n, y.c) x.n, x.reg_at, y.c, x.n * 16 + j as m
  from x cross join lateral generate_series(1, x.k) as j
  cross join lateral (select 1 + floor(${CATALOG_COURSES} * power(${u('x.n * 16 + j', 71)}, 4))::int as c) y
  order by x.n, y.c, j
),
t0 as (
  select e.m, ${syntheticIdSql(KIND.user, seed, 'e.n')} as user_id, ${syntheticIdSql(KIND.course, seed, 'e.c')} as course_id,
         ${syntheticIdSql(KIND.courseVersion, seed, 'e.c')} as version_id, ${syntheticIdSql(KIND.enrolment, seed, 'e.m')} as enrolment_id,
         ${enrolledAt} as enrolled_at,
         ${u('e.m', 80)} < ${COMPLETION_SHARE} as finishing, floor(6 * power(${u('e.m', 81)}, 2))::int as span_weeks, floor(${u('e.m', 82)} * ${L})::int as stopped_after
  from e
),
t1 as (
  -- lesson i is done at enrolled_at + ⌊i·span/L⌋ weeks + 7 minutes per lesson: the enrolment's weekday and hour
  select t0.*, case when finishing then ${L} else stopped_after end as planned
  from t0
),
t as (
  select t1.*, d.done, case when d.done = ${L} and t1.finishing then t1.enrolled_at + make_interval(weeks => t1.span_weeks, mins => ${L} * 7 + 3) end as completed_at
  from t1 cross join lateral (
    -- lessons that would fall after "now" have not happened yet
    select count(*)::int as done from generate_series(1, t1.planned) i
    where t1.enrolled_at + make_interval(weeks => (i * t1.span_weeks) / ${L}, mins => i * 7) < timestamptz '${EVIDENCE_NOW}'
  ) d
),
tc as (
  select t.* from t where t.completed_at is not null and t.completed_at < timestamptz '${EVIDENCE_NOW}'
)`;
  if (part === 'records')
    return `${draws},
ins_e as (
  insert into enrolments (id, user_id, course_id, version_id, last_lesson_id, last_activity_at, created_at)
  select enrolment_id, user_id, course_id, version_id, case when done > 0 then (${lessonArray})[done] end,
         enrolled_at + make_interval(weeks => (done * span_weeks) / ${L}, mins => done * 7), enrolled_at
  from t
  returning id
)
insert into course_completions (id, enrolment_id, user_id, course_id, version_id, completed_at)
select ${syntheticIdSql(KIND.completion, seed, 'tc.m')}, enrolment_id, user_id, course_id, version_id, completed_at from tc`;
  return `${draws}
${insertStatementsSql(`
  select ${sqlUuid(`'hts-bench-${seed}-' || t.m || '-' || i || '-' || h.pct`)} as id,
         t.enrolled_at + make_interval(weeks => (i * t.span_weeks) / ${L}, mins => i * 7 - h.before) as stored,
         ${common}, ${lit(PROGRESSED)} as verb, '{"vi": "đã học tiếp"}'::jsonb as verb_display,
         ${lit(`${base}/xapi/activities/lesson/`)} || t.course_id || '/' || (${lessonArray})[i] as act,
         '{"type": "http://adlnet.gov/expapi/activities/lesson"}'::jsonb as definition, ${course} as course,
         jsonb_build_object('completion', h.pct >= 100, 'extensions', jsonb_build_object(${lit(PROGRESS_EXT)}, h.pct)) as result
  from t cross join lateral generate_series(1, t.done) as i
  -- halfway through the lesson, then done (what the lesson page posts): the platform's two progress events
  cross join (values (50, 4), (100, 0)) as h(pct, before)
  union all
  select ${sqlUuid(`'hts-bench-${seed}-' || t.m || '-c'`)}, t.completed_at,
         ${common}, ${lit(COMPLETED)}, '{"vi": "đã hoàn thành"}'::jsonb,
         ${course}, '{"type": "http://adlnet.gov/expapi/activities/course"}'::jsonb, null::text,
         '{"completion": true}'::jsonb
  from tc t`)}`;
}
