import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type NewXapiStatementRow, xapiStatementRelated, xapiStatements } from '@hts/db';
import postgres from 'postgres';
import { openTarget, tempDir } from '../fixtures/databases.ts';
import { postEach } from '../load/fixed-load.ts';
import type { BenchContext, Scale, Scenario, Side } from '../scenario.ts';
import { startApiWithTarget } from '../servers/api.ts';

/** Statements per round: the same count for every side, so each round is the same amount of work. */
const ingestVolume: Record<Scale, { batched: number; singles: number }> = {
  small: { batched: 2_000, singles: 400 },
  province: { batched: 60_000, singles: 12_000 },
};
const BATCH = 50;
const BATCH_CLIENTS = 8;
const SINGLE_CLIENTS = 64;

const learners = Array.from({ length: 2000 }, (_, i) => `mailto:hoc.vien.${i}@example.vn`);
const activities = Array.from({ length: 200 }, (_, i) => `https://hoc.bacninh.vn/xapi/activities/lesson/${i}`);
const verbs = ['http://adlnet.gov/expapi/verbs/experienced', 'http://adlnet.gov/expapi/verbs/attempted', 'http://adlnet.gov/expapi/verbs/progressed'];
const COURSE = 'https://hoc.bacninh.vn/xapi/activities/course/1';
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;

/** What an H5P or cmi5 lesson sends: an agent by mbox, a verb, a lesson with a course as parent, a result. */
export function sampleStatement() {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', mbox: pick(learners) },
    verb: { id: pick(verbs), display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: pick(activities), definition: { name: { vi: 'Bài học' }, type: 'http://adlnet.gov/expapi/activities/lesson' } },
    result: { completion: true, duration: 'PT5M', score: { scaled: 0.8 } },
    context: { registration: randomUUID(), contextActivities: { parent: [{ id: COURSE, objectType: 'Activity' }] } },
    timestamp: new Date().toISOString(),
  };
}
type Sample = ReturnType<typeof sampleStatement>;

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/**
 * The row the LRS would store for a sample statement, built outside the clock: the reference measures what
 * PostgreSQL costs for the same rows, with none of the LRS's validation or JSON work.
 */
function rawRow(s: Sample): NewXapiStatementRow {
  const stored = new Date();
  const statement = { ...s, stored: stored.toISOString(), authority: { objectType: 'Agent', mbox: 'mailto:bench@example.vn' }, version: '1.0.0' };
  return {
    id: s.id,
    statement,
    contentHash: createHash('sha256').update(JSON.stringify(s)).digest('hex'),
    stored,
    timestamp: new Date(s.timestamp),
    voided: false,
    voidsId: null,
    actorIfi: `mbox:${s.actor.mbox}`,
    objectAgentIfi: null,
    verbId: s.verb.id,
    activityId: s.object.id,
    registration: s.context.registration,
    relatedAgents: [`mbox:${s.actor.mbox}`, 'mbox:mailto:bench@example.vn'],
    relatedActivities: [s.object.id, COURSE],
    authorityKey: 'client:bench',
  };
}

/** The xapi_statement_related rows the LRS writes beside statements (related_agents / related_activities). */
const relatedRows = (rows: NewXapiStatementRow[]) =>
  rows.flatMap((r) => [
    ...r.relatedAgents.map((key) => ({ kind: 'agent' as const, key, stored: r.stored, statementId: r.id as string })),
    ...r.relatedActivities.map((key) => ({ kind: 'activity' as const, key, stored: r.stored, statementId: r.id as string })),
  ]);

/** Runs `work` over `items` with `concurrency` workers; answers items per second. */
async function rateOf<T>(items: T[], count: number, concurrency: number, work: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** A writer of raw rows into the API's own database (PostgreSQL), or into a twin PGlite beside it. */
async function rawWriter(ctx: BenchContext, apiTarget: Awaited<ReturnType<typeof startApiWithTarget>>['target']) {
  if (apiTarget.kind === 'postgres') {
    const sql = postgres(apiTarget.url, { max: BATCH_CLIENTS, onnotice: () => {} });
    const columns = (r: NewXapiStatementRow) => ({
      id: r.id,
      statement: r.statement,
      content_hash: r.contentHash,
      stored: r.stored,
      timestamp: r.timestamp,
      voided: false,
      voids_id: null,
      actor_ifi: r.actorIfi,
      object_agent_ifi: null,
      verb_id: r.verbId,
      activity_id: r.activityId,
      registration: r.registration,
      related_agents: r.relatedAgents,
      related_activities: r.relatedActivities,
      authority_key: r.authorityKey,
    });
    return {
      label: `raw multi-row INSERT (postgres.js), ${BATCH} rows × ${BATCH_CLIENTS} connections, same database`,
      // the LRS writes each statement's xapi_statement_related rows in the same INSERT: so does the reference
      insert: async (rows: NewXapiStatementRow[]) => {
        await sql`with inserted as (
            insert into xapi_statements ${sql(rows.map(columns) as never)} returning id, stored, related_agents, related_activities
          )
          insert into xapi_statement_related (kind, key, stored, statement_id)
          select 'agent', k, i.stored, i.id from inserted i, unnest(i.related_agents) k
          union all
          select 'activity', k, i.stored, i.id from inserted i, unnest(i.related_activities) k`;
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  // PGlite is one process's: the API holds its folder, so the reference writes into a twin beside it.
  const twin = await openTarget({ kind: 'pglite', dir: join(await tempDir('xapi-raw'), 'pglite') });
  ctx.log('PGlite: the raw INSERT reference writes into a twin database (the API holds its own)');
  return {
    label: `raw multi-row INSERT (drizzle), ${BATCH} rows × ${BATCH_CLIENTS} concurrent, twin PGlite`,
    insert: async (rows: NewXapiStatementRow[]) => {
      await twin.db.transaction(async (tx) => {
        await tx.insert(xapiStatements).values(rows);
        await tx.insert(xapiStatementRelated).values(relatedRows(rows));
      });
    },
    close: () => twin.close(),
  };
}

export const xapiIngestScenario: Scenario = {
  name: 'xapi.ingest',
  title: 'xAPI statements stored through HTTP (batches of 50 × 8 clients; single × 64) vs raw multi-row INSERT of the same rows',
  unit: 'statements/s',
  better: 'higher',
  rounds: { small: 2, province: 5 },
  async setup(ctx) {
    const key = 'bench-lrs';
    const secret = randomBytes(24).toString('base64url');
    const { server, target } = await startApiWithTarget(ctx, 'empty', { env: { LRS_DEMO_KEY: key, LRS_DEMO_SECRET: secret, RUN_WORKER: 'false' } });
    const headers = { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'x-experience-api-version': '1.0.3' };
    const raw = await rawWriter(ctx, target);
    const volume = ingestVolume[ctx.scale];
    const post = async (bodies: string[], connections: number, statements: number) =>
      statements / (await postEach({ url: `${server.origin}/xapi/statements`, headers, bodies, connections }));
    const sides: Side[] = [
      {
        label: `API POST /xapi/statements, batches of ${BATCH} × ${BATCH_CLIENTS} clients`,
        run: () => {
          const bodies = chunk(Array.from({ length: volume.batched }, sampleStatement), BATCH).map((b) => JSON.stringify(b));
          return post(bodies, BATCH_CLIENTS, volume.batched);
        },
      },
      {
        label: `API POST /xapi/statements, single statements × ${SINGLE_CLIENTS} clients`,
        run: () => {
          const bodies = Array.from({ length: volume.singles }, () => JSON.stringify(sampleStatement()));
          return post(bodies, SINGLE_CLIENTS, volume.singles);
        },
      },
    ];
    return {
      reference: {
        label: raw.label,
        run: () => {
          const rows = Array.from({ length: volume.batched }, () => rawRow(sampleStatement()));
          return rateOf(chunk(rows, BATCH), volume.batched, BATCH_CLIENTS, raw.insert);
        },
      },
      subjects: sides,
      notes: () => ({ batchedPerRound: volume.batched, singlesPerRound: volume.singles, database: target.kind }),
      close: () => raw.close(),
    };
  },
};
