import { KIND, lit, syntheticIdSql } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { rhythmicTimestamp } from '../time.ts';
import { citizenColumns } from './citizens.ts';

const PROVINCE_OFFICERS = 3;
const TRAINERS = 60;
const ADMINS = 2;

/**
 * The people who run the programme: per commune one officer and one Hội Khuyến học branch account scoped
 * to it; a few province officers; trainers and admins. Numbered right after the citizens.
 */
export const staffStep: GeneratorStep = {
  name: 'staff',
  async run({ plan, content, seed, passwordHash, exec }) {
    const rows: Array<[string, string | null]> = [];
    for (const c of plan.communes) rows.push(['officer', c.code], ['branch', c.code]);
    for (let i = 0; i < PROVINCE_OFFICERS; i++) rows.push(['officer', content.province.code]);
    for (let i = 0; i < TRAINERS; i++) rows.push(['trainer', null]);
    for (let i = 0; i < ADMINS; i++) rows.push(['admin', null]);
    const values = rows.map(([role, scope], i) => `(${plan.citizens + 1 + i}, ${lit(role)}, ${scope === null ? 'null' : lit(scope)})`).join(',\n');
    const col = citizenColumns('s.n', `'staff'`, seed);
    const provinceCode = lit(content.province.code);
    await exec(`
with st(n, role, scope) as (values ${values}),
s as (
  select st.n::bigint as n, st.role, g.id as geo_id, g.code as geo_code,
         ${syntheticIdSql(KIND.user, seed, 'st.n')} as user_id, ${syntheticIdSql(KIND.userRole, seed, 'st.n')} as role_id,
         ${rhythmicTimestamp('st.n', seed, 20)} as at
  from st left join geo_units g on g.code = st.scope
),
u as (
  insert into users (id, email, phone, full_name, birth_year, commune_id, password_hash, created_at, updated_at)
  select s.user_id, 'staff' || s.n || '.s${seed}@bench.hoctapso.vn', ${col.phone}, ${col.name}, 2026 - (${col.age})::int,
         case when s.geo_code <> ${provinceCode} then s.geo_id end, ${lit(passwordHash)}, s.at, s.at
  from s
  returning id
),
r as (
  insert into user_roles (id, user_id, role, created_at) select s.role_id, s.user_id, s.role::role_name, s.at from s
  returning id
)
insert into user_role_scopes (user_role_id, geo_unit_id) select s.role_id, s.geo_id from s where s.geo_id is not null`);
    const scoped = rows.filter(([, scope]) => scope !== null).length;
    return { users: rows.length, user_roles: rows.length, user_role_scopes: scoped };
  },
};
