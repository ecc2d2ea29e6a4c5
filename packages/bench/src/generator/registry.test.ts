import { type Content, defaultContentDir, loadContent } from '@hts/content';
import { type DatabaseHandle, queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerationReport, generateProvince, registrySteps } from './generate.ts';
import { planProvince } from './population.ts';
import { citizensStep } from './steps/citizens.ts';
import { geographyStep } from './steps/geography.ts';
import { planRegistry } from './steps/registry.ts';
import { staffStep } from './steps/staff.ts';

const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000';

describe('planRegistry', () => {
  it('numbers villages, households, clans and units without gaps, 3.6 people per household at province scale', async () => {
    const content = await loadContent(defaultContentDir);
    const plan = planProvince(content, 1, 'province');
    const communes = planRegistry(plan);
    expect(communes).toHaveLength(99);
    let next = 1;
    for (const c of communes) {
      expect(c.households.first).toBe(next);
      next += c.households.count;
    }
    const households = next - 1;
    expect(plan.citizens / households).toBeCloseTo(3.6, 1);
    expect(communes.reduce((a, c) => a + c.people, 0)).toBe(plan.citizens);
  });
});

describe('the registry steps at small scale', () => {
  let content: Content;
  let database: DatabaseHandle;
  let report: GenerationReport;
  const rows = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);

  beforeAll(async () => {
    content = await loadContent(defaultContentDir);
    database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    // the registry's own steps: the courses and evidence of indicatorSteps are evidence.test.ts's
    report = await generateProvince(database.db, {
      content,
      seed: 42,
      scale: 'small',
      passwordHash,
      steps: [geographyStep, citizensStep, staffStep, ...registrySteps],
    });
  });
  afterAll(async () => database?.close());

  it('links every citizen to one registry person in their commune and group, most in a household of 3 or 4', async () => {
    const [r] = await rows<{ people: number; linked: number; in_household: number; max_size: number; min_size: number }>(sql`
      select (select count(*)::int from registry_people) as people,
             (select count(*)::int from registry_people p join users u on u.id = p.user_id and u.commune_id = p.commune_id and u.target_group_id = p.target_group_id
                and u.birth_year = p.birth_year) as linked,
             (select count(distinct person_id)::int from registry_memberships where kind = 'household') as in_household,
             (select max(n)::int from (select count(*) as n from registry_memberships where kind = 'household' group by household_id) h) as max_size,
             (select min(n)::int from (select count(*) as n from registry_households h left join registry_memberships m on m.household_id = h.id group by h.id) h) as min_size`);
    expect(r?.people).toBe(3600);
    expect(r?.linked).toBe(3600);
    expect(r?.in_household).toBeGreaterThan(3300);
    expect(r?.max_size).toBeLessThanOrEqual(4);
    expect(report.rows.registry_people).toBe(3600);
  });

  it('puts staff of the public and enterprise groups in units of their kind, and nobody else', async () => {
    const [r] = await rows<{ wrong: number; staff: number }>(sql`
      select count(*) filter (where not ((tg.code in ('cong-chuc', 'can-bo-quan-ly') and un.kind = 'agency') or (tg.code = 'vien-chuc' and un.kind = 'school')
               or (tg.code in ('cong-nhan', 'doanh-nhan') and un.kind = 'enterprise') or (tg.code = 'luc-luong-vu-trang' and un.kind = 'armed_forces')))::int as wrong,
             count(*)::int as staff
      from registry_memberships m join registry_units un on un.id = m.unit_id join registry_people p on p.id = m.person_id join target_groups tg on tg.id = p.target_group_id`);
    expect(r?.wrong).toBe(0);
    expect(r?.staff).toBeGreaterThan(300);
  });

  it('awards more titles in 2025 than in 2023, only to groups with a criteria set, at most one live per person and year', async () => {
    const byYear = await rows<{ year: number; n: number }>(sql`select year, count(*)::int as n from person_title_awards group by year order by year`);
    const n = (y: number) => byYear.find((r) => r.year === y)?.n ?? 0;
    expect(n(2025)).toBeGreaterThan(n(2023) * 2);
    const [r] = await rows<{ outside: number; digital: number; collective: number; official: number }>(sql`
      select (select count(*)::int from person_title_awards a join target_groups tg on tg.id = a.target_group_id where tg.code in ('hoc-sinh-sinh-vien', 'nguoi-dan-khac')) as outside,
             (select count(*)::int from digital_skill_confirmations) as digital,
             (select count(distinct subject_kind)::int from collective_title_awards) as collective,
             (select count(*)::int from indicator_official_counts where count_key = 'adults') as official`);
    expect(r).toEqual({ outside: 0, digital: expect.any(Number), collective: 4, official: 198 });
    expect(r?.digital).toBeGreaterThan(700);
  });
});

describe('the registry steps determinism', () => {
  it('gives the same registry, titles and confirmations for the same seed', async () => {
    const content = await loadContent(defaultContentDir);
    const fingerprint = async () => {
      const database = await openTestDatabase(undefined);
      try {
        // without the courses and evidence of indicatorSteps (evidence.test.ts checks theirs): two PGlite generations must fit the timeout
        const steps = [geographyStep, citizensStep, staffStep, ...registrySteps];
        await generateProvince(database.db, { content, seed: 9, scale: 'small', passwordHash, steps });
        const [r] = await queryRows<{ f: string }>(
          database.db,
          sql`select md5((select string_agg(id::text || full_name || coalesce(village_id::text, ''), ',' order by id) from registry_people)
                || (select string_agg(person_id::text || kind, ',' order by id) from registry_memberships)
                || (select string_agg(user_id::text || year || awarded_at::text, ',' order by id) from person_title_awards)
                || (select string_agg(user_id::text || confirmed_at::text, ',' order by id) from digital_skill_confirmations)) as f`,
        );
        return r?.f;
      } finally {
        await database.close();
      }
    };
    expect(await fingerprint()).toBe(await fingerprint());
  });
});
