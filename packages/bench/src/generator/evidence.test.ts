import { type Content, defaultContentDir, loadContent } from '@hts/content';
import { type DatabaseHandle, queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerationReport, generateProvince, indicatorSteps } from './generate.ts';
import { citizensStep } from './steps/citizens.ts';
import { coursesStep } from './steps/courses.ts';
import { EVIDENCE_NOW, evidenceStatementsStep, evidenceStep } from './steps/evidence.ts';
import { geographyStep } from './steps/geography.ts';

const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000';

describe('the evidence step at small scale', () => {
  let content: Content;
  let database: DatabaseHandle;
  let report: GenerationReport;
  const rows = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);

  beforeAll(async () => {
    content = await loadContent(defaultContentDir);
    database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    report = await generateProvince(database.db, { content, seed: 42, scale: 'small', passwordHash, steps: indicatorSteps });
    // the whole indicator province: about a minute on PGlite, more on a busy machine
  }, 300_000);
  afterAll(async () => database?.close());

  it('writes about 8.4 evidence rows per citizen (30 million at province scale): 1.1 enrolments, 0.6 completions, the rest statements', async () => {
    const e = report.rows.enrolments ?? 0;
    const c = report.rows.course_completions ?? 0;
    const s = report.rows.xapi_statements ?? 0;
    expect(e / 3600).toBeGreaterThan(0.95);
    expect(e / 3600).toBeLessThan(1.3);
    expect(c / e).toBeGreaterThan(0.45);
    expect(c / e).toBeLessThan(0.6);
    expect((e + c + s) / 3600).toBeGreaterThan(7.5);
    expect((e + c + s) / 3600).toBeLessThan(9.2);
    const [n] = await rows<{ e: number; c: number; s: number }>(sql`
      select (select count(*)::int from enrolments) as e, (select count(*)::int from course_completions) as c, (select count(*)::int from xapi_statements) as s`);
    expect(n).toEqual({ e, c, s });
  });

  it('puts most enrolments in few courses: the top 1 % of the catalog holds over a quarter', async () => {
    const [r] = await rows<{ top: number; all: number; courses: number }>(sql`
      with k as (select course_id, count(*) as n from enrolments group by course_id)
      select (select sum(n)::int from (select n from k order by n desc limit 30) t) as top, (select sum(n)::int from k) as all, (select count(*)::int from k) as courses`);
    expect((r?.top ?? 0) / (r?.all ?? 1)).toBeGreaterThan(0.25);
    expect(r?.courses).toBeGreaterThan(300);
  });

  it('keeps the weekly rhythm: more statements on weekends than on weekdays, all in 2025 and 2026 up to "now"', async () => {
    const [r] = await rows<{ weekend: number; weekday: number; early: number; late: number }>(sql`
      select count(*) filter (where extract(isodow from stored at time zone 'Asia/Ho_Chi_Minh') >= 6)::float8 / 2 as weekend,
             count(*) filter (where extract(isodow from stored at time zone 'Asia/Ho_Chi_Minh') < 6)::float8 / 5 as weekday,
             count(*) filter (where stored < '2024-12-30T00:00:00+07:00')::int as early,
             count(*) filter (where stored >= ${EVIDENCE_NOW}::timestamptz)::int as late
      from xapi_statements`);
    expect(r?.weekend).toBeGreaterThan((r?.weekday ?? 0) * 1.1);
    expect(r).toMatchObject({ early: 0, late: 0 });
  });

  it('completes only after enrolling and registering, once per enrolment, with a completed statement and two progressed per lesson', async () => {
    const [r] = await rows<{ bad_order: number; missing: number; completed: number; per_lesson: number; lessons: number }>(sql`
      select (select count(*)::int from course_completions c join enrolments e on e.id = c.enrolment_id join users u on u.id = c.user_id
                where c.completed_at <= e.created_at or e.created_at <= u.created_at or e.user_id <> c.user_id or e.course_id <> c.course_id) as bad_order,
             (select count(*)::int from course_completions c where not exists (select 1 from xapi_statements s
                where s.actor_ifi = 'account:https://hoc.bacninh.vn|' || c.user_id and s.verb_id = 'http://adlnet.gov/expapi/verbs/completed'
                  and s.activity_id = 'https://hoc.bacninh.vn/xapi/activities/course/' || c.course_id and s.stored = c.completed_at)) as missing,
             (select count(*)::int from xapi_statements where verb_id = 'http://adlnet.gov/expapi/verbs/completed') as completed,
             (select count(*)::int from xapi_statements s where s.verb_id = 'http://adlnet.gov/expapi/verbs/progressed'
                and s.statement->'context'->'contextActivities'->'parent'->0->>'id' like 'https://hoc.bacninh.vn/xapi/activities/course/%') as per_lesson,
             (select count(*)::int from xapi_statements) as lessons`);
    expect(r?.bad_order).toBe(0);
    expect(r?.missing).toBe(0);
    expect(r?.completed).toBe(report.rows.course_completions);
    expect((r?.per_lesson ?? 0) + (r?.completed ?? 0)).toBe(r?.lessons);
  });

  it('makes completions count for the Hội Khuyến học "trained" indicator: some members trained only on the platform', async () => {
    const [r] = await rows<{ platform_only: number }>(sql`
      select count(*)::int as platform_only from khuyen_hoc_members k join registry_people p on p.id = k.person_id
      where k.trained_on is null and exists (select 1 from course_completions c where c.user_id = p.user_id and c.completed_at < '2026-01-01T00:00:00+07:00')`);
    expect(r?.platform_only).toBeGreaterThan(0);
  });
});

describe('the evidence step determinism', () => {
  // only the steps the evidence reads (citizens and courses): two generations on PGlite must fit the timeout
  it('gives the same enrolments, completions and statements for the same seed, whether the statements come in the same run or a later one', async () => {
    const content = await loadContent(defaultContentDir);
    const fingerprint = async (statementsLater: boolean) => {
      const database = await openTestDatabase(undefined);
      try {
        const first = [geographyStep, citizensStep, coursesStep, evidenceStep];
        const options = { content, seed: 9, scale: 'small' as const, passwordHash };
        if (statementsLater) {
          await generateProvince(database.db, { ...options, steps: first });
          // a kept province made without the statements gets them in a later run
          await generateProvince(database.db, { ...options, steps: [evidenceStatementsStep], continuing: true });
        } else await generateProvince(database.db, { ...options, steps: [...first, evidenceStatementsStep] });
        const [r] = await queryRows<{ f: string }>(
          database.db,
          sql`select md5((select string_agg(id::text || course_id || created_at::text || last_activity_at::text, ',' order by id) from enrolments)
                || (select string_agg(id::text || completed_at::text, ',' order by id) from course_completions)
                || (select string_agg(id::text || statement::text, ',' order by id) from xapi_statements)) as f`,
        );
        return r?.f;
      } finally {
        await database.close();
      }
    };
    expect(await fingerprint(false)).toBe(await fingerprint(true));
  });
});
