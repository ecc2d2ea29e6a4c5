import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';

/**
 * Statements generated inside the database, shared by the `xapi.query` scenario (10 million LRS statements)
 * and the evidence step (the platform's own learning statements): one INSERT … SELECT writes the stored
 * statement and every normalised column beside it, so queries read them as they would the API's rows.
 */

/** A version-4-shaped UUID from md5 of `text` (SQL), so the LRS's UUID checks accept it; `uuidOf` is the same in JS. */
export const sqlUuid = (text: string) => `overlay(overlay(md5(${text}) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;

/**
 * INSERT INTO xapi_statements from `rows`, a SELECT yielding, per statement:
 *   id uuid, stored timestamptz, actor jsonb, actor_ifi text, verb text, verb_display jsonb (or null),
 *   act text (the object Activity's id), definition jsonb, course text (parent activity, or null),
 *   reg uuid (registration, or null), ref uuid (a StatementRef object instead of the activity, or null),
 *   result jsonb, authority jsonb, authority_ifi text, authority_key text, voided boolean.
 * Null parts are left out of the statement; `timestamp` equals `stored`.
 */
export function insertStatementsSql(rows: string): string {
  return `
insert into xapi_statements (id, statement, content_hash, stored, "timestamp", voided, voids_id, ref_id, actor_ifi, verb_id, activity_id,
  registration, related_agents, related_activities, authority_key)
select g.id,
  jsonb_strip_nulls(jsonb_build_object('id', g.id, 'actor', g.actor,
    'verb', case when g.verb_display is null then jsonb_build_object('id', g.verb) else jsonb_build_object('id', g.verb, 'display', g.verb_display) end,
    'object', case when g.ref is null
      then jsonb_build_object('objectType', 'Activity', 'id', g.act, 'definition', g.definition)
      else jsonb_build_object('objectType', 'StatementRef', 'id', g.ref) end,
    'context', case when g.ref is null and (g.reg is not null or g.course is not null) then jsonb_build_object('registration', g.reg, 'contextActivities',
      case when g.course is not null then jsonb_build_object('parent', jsonb_build_array(jsonb_build_object('objectType', 'Activity', 'id', g.course))) end) end,
    'result', g.result,
    'stored', g.iso, 'timestamp', g.iso, 'authority', g.authority, 'version', '1.0.0')),
  md5(g.id::text), g.stored, g.stored, g.voided,
  case when g.verb = 'http://adlnet.gov/expapi/verbs/voided' then g.ref end, g.ref,
  g.actor_ifi, g.verb, case when g.ref is null then g.act end, case when g.ref is null then g.reg end,
  array[g.actor_ifi, g.authority_ifi], case when g.ref is null then array_remove(array[g.act, g.course], null) else '{}'::text[] end, g.authority_key
from (select r.*, to_char(r.stored at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso from (${rows}) r) g`;
}

/**
 * Runs `load` with the table's secondary indexes dropped, then rebuilds them (as a restore would: one sort per
 * index instead of millions of inserts into thirteen of them, two of them GIN) and ANALYZEs the table.
 */
export async function withoutSecondaryIndexes(db: Db, table: string, log: (m: string) => void, load: () => Promise<void>): Promise<void> {
  const indexes = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`select indexname, indexdef from pg_indexes where tablename = ${table} and indexname <> ${`${table}_pkey`}`,
  );
  for (const i of indexes) await db.execute(sql.raw(`drop index ${i.indexname}`));
  try {
    await load();
  } finally {
    // rebuilt even when the load failed: a kept database must not be left without its indexes
    await rebuild(db, table, indexes, log);
  }
  await db.execute(sql.raw(`analyze ${table}`));
}

async function rebuild(db: Db, table: string, indexes: Array<{ indexname: string; indexdef: string }>, log: (m: string) => void): Promise<void> {
  for (const i of indexes) {
    const t0 = performance.now();
    // more sort memory than the server's default makes a 10-million-row index build several times faster
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      await tx.execute(sql.raw(i.indexdef));
    });
    log(`${table}: ${i.indexname} built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
