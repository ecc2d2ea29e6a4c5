import { queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import { KIND, syntheticIdSql, uniform } from '../sql.ts';
import type { GeneratorStep } from '../step.ts';
import { HISTORY_END, rhythmicTimestamp } from '../time.ts';
import { CHUNK_ROWS } from './citizens.ts';

/** At most this many sign-ins per citizen in the history. */
const MAX_SIGN_INS = 12;

/**
 * `auth.sign_in` audit entries, heavy-tailed: citizen n signs in floor(min(12, 1/√u)) − 1 times, so three
 * in four never come back after registering and a few come back often (≈ 0.6 per citizen on average).
 * Each falls on a day between registration and the end of the history, at the registration's hour.
 */
export const signInsStep: GeneratorStep = {
  name: 'sign-ins',
  async run({ db, plan, seed, exec, log }) {
    const before = await countSignIns();
    for (let first = 1; first <= plan.citizens; first += CHUNK_ROWS) {
      const last = Math.min(plan.citizens, first + CHUNK_ROWS - 1);
      const at = rhythmicTimestamp('n', seed, 20);
      const k = `floor(least(${MAX_SIGN_INS}, 1 / sqrt(greatest(${uniform('n', seed, 30)}, 1e-9)))) - 1`;
      const m = 'n * 16 + j';
      await exec(`
insert into audit_log (id, occurred_at, actor_user_id, action, outcome, subject_type, subject_id, subject_key)
select ${syntheticIdSql(KIND.signInAudit, seed, m)},
       x.at + make_interval(days => floor(${uniform(m, seed, 31)} * extract(epoch from (timestamptz '${HISTORY_END}' - x.at)) / 86400)::int),
       ${syntheticIdSql(KIND.user, seed, 'n')}, 'auth.sign_in', 'success', 'user', ${syntheticIdSql(KIND.user, seed, 'n')}::text,
       '+849' || lpad(n::text, 8, '0')
from generate_series(${first}::bigint, ${last}::bigint) as n
cross join lateral (select ${at} as at, (${k})::int as k) x
cross join lateral generate_series(1, x.k) as j
order by 2`);
      log(`sign-ins: citizens ${last.toLocaleString('en-US')} / ${plan.citizens.toLocaleString('en-US')}`);
    }
    return { audit_log: (await countSignIns()) - before };

    async function countSignIns(): Promise<number> {
      const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'auth.sign_in'`);
      return row?.n ?? 0;
    }
  },
};
