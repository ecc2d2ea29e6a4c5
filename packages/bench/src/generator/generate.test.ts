import { type Content, defaultContentDir, loadContent } from '@hts/content';
import { type DatabaseHandle, queryRows } from '@hts/db';
import { openTestDatabase } from '@hts/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerationReport, generateProvince } from './generate.ts';
import { KIND, syntheticId } from './sql.ts';

// A precomputed hash keeps the test off argon2's cost; any string works as a stored hash here.
const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000';

describe('generateProvince at small scale', () => {
  let content: Content;
  let database: DatabaseHandle;
  let report: GenerationReport;
  const rows = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(database.db, q);

  beforeAll(async () => {
    content = await loadContent(defaultContentDir);
    database = await openTestDatabase(process.env.TEST_DATABASE_URL);
    report = await generateProvince(database.db, { content, seed: 42, scale: 'small', passwordHash });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('writes 3,600 citizens across the 99 communes, each with the citizen role and a register entry', async () => {
    const [counts] = await rows<{ citizens: number; communes: number; roles: number; registers: number }>(sql`
      select (select count(*)::int from users where phone like '+849%' and email is distinct from 'x' and id in (select user_id from user_roles where role = 'citizen')) as citizens,
             (select count(distinct commune_id)::int from users) as communes,
             (select count(*)::int from user_roles where role = 'citizen') as roles,
             (select count(*)::int from audit_log where action = 'auth.register') as registers`);
    expect(counts).toEqual({ citizens: 3600, communes: 99, roles: 3600, registers: 3600 });
    expect(report.rows.users).toBe(3600 + 2 * 99 + 3 + 60 + 2);
  });

  it('publishes the 3,000 courses of a national catalog, each pointing at a version whose document carries its title', async () => {
    const [c] = await rows<{ courses: number; published: number; titled: number }>(sql`
      select count(*)::int as courses, count(published_version_id)::int as published,
             count(*) filter (where v.doc->>'title' = c.title)::int as titled
      from courses c left join course_versions v on v.id = c.published_version_id where c.slug like 'khoa-bench-%'`);
    expect(c).toEqual({ courses: 3000, published: 3000, titled: 3000 });
    expect(report.rows.courses).toBe(3000);
  });

  it('gives every commune an officer and a branch account scoped to it', async () => {
    const [scoped] = await rows<{ n: number }>(sql`
      select count(distinct s.geo_unit_id)::int as n from user_role_scopes s join user_roles r on r.id = s.user_role_id
      join geo_units g on g.id = s.geo_unit_id where r.role = 'officer' and g.type <> 'province'`);
    expect(scoped?.n).toBe(99);
  });

  it('makes Nguyễn the most common family name, near its national share', async () => {
    const [top] = await rows<{ family: string; share: number }>(sql`
      select split_part(full_name, ' ', 1) as family, count(*)::float8 / (select count(*) from users) as share
      from users group by 1 order by 2 desc limit 1`);
    expect(top?.family).toBe('Nguyễn');
    expect(top?.share).toBeGreaterThan(0.3);
    expect(top?.share).toBeLessThan(0.46);
  });

  it('registers more people on weekends than on weekdays, and more in the second year than the first', async () => {
    const [r] = await rows<{ weekend: number; weekday: number; first: number; second: number }>(sql`
      select avg(case when extract(isodow from created_at at time zone 'Asia/Ho_Chi_Minh') >= 6 then 1.0 else 0 end)::float8 / 2 as weekend,
             avg(case when extract(isodow from created_at at time zone 'Asia/Ho_Chi_Minh') < 6 then 1.0 else 0 end)::float8 / 5 as weekday,
             count(*) filter (where created_at < '2025-06-30')::int as first, count(*) filter (where created_at >= '2025-06-30')::int as second
      from users where phone like '+849%'`);
    expect(r?.weekend).toBeGreaterThan(r?.weekday ?? 1);
    expect(r?.second).toBeGreaterThan((r?.first ?? 0) * 2);
  });

  it('writes heavy-tailed sign-ins: most citizens none, a few many', async () => {
    const [r] = await rows<{ none: number; many: number; total: number }>(sql`
      with k as (select u.id, count(a.id) as n from users u left join audit_log a on a.actor_user_id = u.id and a.action = 'auth.sign_in' group by u.id)
      select count(*) filter (where n = 0)::int as none, count(*) filter (where n >= 5)::int as many, sum(n)::int as total from k`);
    expect(r?.none).toBeGreaterThan(2500);
    expect(r?.many).toBeGreaterThan(50);
    expect(r?.total).toBe(report.rows.audit_log ? report.rows.audit_log - 3600 : -1);
  });

  it('derives ids from the seed and the citizen number, so a later step can point at citizen n', async () => {
    const [u] = await rows<{ phone: string }>(sql`select phone from users where id = ${syntheticId(KIND.user, 42, 1)}`);
    expect(u?.phone).toBe('+84900000001');
  });

  it('refuses to generate twice into the same database', async () => {
    await expect(generateProvince(database.db, { content, seed: 42, scale: 'small', passwordHash })).rejects.toThrow(/fresh one/);
  });

  it('refuses to continue a province in a database that holds none', async () => {
    const empty = await openTestDatabase(undefined);
    try {
      await expect(generateProvince(empty.db, { content, seed: 42, scale: 'small', passwordHash, steps: [], continuing: true })).rejects.toThrow(
        /no synthetic province/,
      );
    } finally {
      await empty.close();
    }
  });
});

describe('generateProvince determinism', () => {
  it('gives the same rows for the same seed', async () => {
    const content = await loadContent(defaultContentDir);
    const fingerprint = async () => {
      const database = await openTestDatabase(undefined);
      try {
        await generateProvince(database.db, { content, seed: 9, scale: 'small', passwordHash });
        const [r] = await queryRows<{ f: string }>(
          database.db,
          sql`select md5(string_agg(id::text || full_name || coalesce(email, '') || birth_year || created_at::text, ',' order by id)) as f from users`,
        );
        return r?.f;
      } finally {
        await database.close();
      }
    };
    expect(await fingerprint()).toBe(await fingerprint());
  });
});
