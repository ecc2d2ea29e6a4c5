import { familyNames, familyWeights, givenFemale, givenMale, middleFemale, middleMale } from '../names.ts';
import type { Cell } from '../population.ts';
import { KIND, lit, syntheticIdSql, uniform, weightedPick, zipfWeights } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { rhythmicTimestamp } from '../time.ts';

/** Rows per statement: big enough to amortise the round trip, small enough to bound memory (PGlite). */
export const CHUNK_ROWS = 100_000;

/** Citizens with their `citizen` role and their `auth.register` audit entry, in one statement per chunk. */
export const citizensStep: GeneratorStep = {
  name: 'citizens',
  async run(ctx) {
    let rows = 0;
    for (const chunk of chunkCells(ctx.plan.cells, CHUNK_ROWS)) {
      await ctx.exec(citizensSql(chunk, ctx.seed, ctx.passwordHash));
      rows += chunk.reduce((a, c) => a + c.count, 0);
      ctx.log(`citizens: ${rows.toLocaleString('en-US')} / ${ctx.plan.citizens.toLocaleString('en-US')}`);
    }
    return { users: rows, user_roles: rows, audit_log: rows };
  },
};

/** Consecutive cells grouped so that each group holds at most `limit` rows (a bigger cell goes alone). */
export function chunkCells(cells: readonly Cell[], limit: number): Cell[][] {
  const chunks: Cell[][] = [];
  let current: Cell[] = [];
  let size = 0;
  for (const cell of cells) {
    if (size + cell.count > limit && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(cell);
    size += cell.count;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Full name, birth year and contact of citizen `n`: every column a hash of (seed, n, column). */
export function citizenColumns(n: string, group: string, seed: number) {
  const u = (salt: number) => uniform(n, seed, salt);
  const female = `${u(1)} < 0.51`;
  const name = `${weightedPick(u(2), familyNames, familyWeights)} || ' ' || case when ${female} then ${weightedPick(u(3), middleFemale, zipfWeights(middleFemale.length, 1.2))} else ${weightedPick(u(3), middleMale, zipfWeights(middleMale.length, 1.2))} end || ' ' || case when ${female} then ${weightedPick(u(4), givenFemale, zipfWeights(givenFemale.length, 0.8))} else ${weightedPick(u(4), givenMale, zipfWeights(givenMale.length, 0.8))} end`;
  // Pupils and students are 10–24; everyone else 18–75, peaked in the middle (mean of two draws).
  const age = `case when ${group} = 'hoc-sinh-sinh-vien' then 10 + floor(15 * ${u(5)}) else 18 + floor(57 * (${u(6)} + ${u(7)}) / 2) end`;
  const email = `case when ${u(8)} < 0.4 then 'c' || ${n} || '.s${seed}@bench.hoctapso.vn' end`;
  const phone = `'+849' || lpad((${n})::text, 8, '0')`;
  const status = `case when ${u(9)} < 0.01 then 'disabled' else 'active' end::user_status`;
  return { name, age, email, phone, status };
}

function citizensSql(cells: readonly Cell[], seed: number, passwordHash: string): string {
  const values = cells.map((c) => `(${lit(c.communeCode)}, ${lit(c.groupCode)}, ${c.first}, ${c.count})`).join(',\n');
  const col = citizenColumns('s.n', 's.grp', seed);
  const userId = syntheticIdSql(KIND.user, seed, 'n');
  const roleId = syntheticIdSql(KIND.userRole, seed, 'n');
  const auditId = syntheticIdSql(KIND.audit, seed, 'n');
  return `
with c(commune, grp, first, cnt) as (values ${values}),
s as (
  select n, ${userId} as user_id, ${roleId} as role_id, ${auditId} as audit_id, g.id as commune_id, t.id as group_id, c.grp,
         ${rhythmicTimestamp('n', seed, 20)} as at
  from c
  join geo_units g on g.code = c.commune
  join target_groups t on t.code = c.grp
  cross join lateral generate_series(c.first::bigint, (c.first + c.cnt - 1)::bigint) as n
),
u as (
  insert into users (id, email, phone, full_name, birth_year, commune_id, target_group_id, password_hash, status, created_at, updated_at)
  select s.user_id, ${col.email}, ${col.phone}, ${col.name}, 2026 - (${col.age})::int, s.commune_id, s.group_id, ${lit(passwordHash)}, ${col.status}, s.at, s.at
  from s
  returning id
),
r as (
  insert into user_roles (id, user_id, role, created_at) select s.role_id, s.user_id, 'citizen', s.at from s
  returning id
)
insert into audit_log (id, occurred_at, actor_user_id, action, outcome, subject_type, subject_id)
select s.audit_id, s.at, s.user_id, 'auth.register', 'success', 'user', s.user_id::text from s
order by s.at`;
}
