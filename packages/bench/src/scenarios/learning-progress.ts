import { join } from 'node:path';
import { type NewProgressEventRow, progressEvents, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type DatabaseTarget, openTarget, tempDir } from '../fixtures/databases.ts';
import { postEach } from '../load/fixed-load.ts';
import type { BenchContext, Scale, Scenario } from '../scenario.ts';
import { startApiWithTarget } from '../servers/api.ts';
import type { ServerProcess } from '../servers/process.ts';

/** Fresh events per round (the same count for both sides) and the learners who send them. */
const volume: Record<Scale, { events: number; learners: number }> = {
  small: { events: 2_000, learners: 16 },
  province: { events: 30_000, learners: 64 },
};
const BATCH = 50;
const CLIENTS = 8;
/** Share of the batches a phone sends again (it never saw the answer): replayed, never stored twice. */
const REPLAY_SHARE = 0.2;
const COURSE_SLUG = 'phong-tranh-lua-dao-truc-tuyen';

interface Learner {
  userId: string;
  token: string;
  enrolmentId: string;
}

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Registers learners over HTTP and enrols each in the free-sequence content course; answers its text lessons. */
async function prepareLearners(api: ServerProcess, count: number) {
  const page = await json<{ course: { id: string }; modules: Array<{ lessons: Array<{ id: string; kind: string }> }> }>(
    await fetch(`${api.origin}/api/courses/${COURSE_SLUG}`),
    `course page ${COURSE_SLUG}`,
  );
  const lessons = page.modules.flatMap((m) => m.lessons).filter((l) => l.kind === 'text');
  if (lessons.length === 0) throw new Error(`${COURSE_SLUG} has no text lesson to report progress on`);
  const learners: Learner[] = [];
  for (let i = 0; i < count; i++) {
    const registered = await json<{ accessToken: string; user: { id: string } }>(
      await fetch(`${api.origin}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `hoc.vien.tien.do.${i}.${Date.now()}@example.vn`,
          fullName: 'Nguyễn Văn Học',
          birthYear: 1985,
          communeCode: '07627',
          targetGroupCode: 'nong-dan',
          password: 'mat-khau-bench-1',
        }),
      }),
      'register',
    );
    const enrolment = await json<{ id: string }>(
      await fetch(`${api.origin}/api/courses/${page.course.id}/enrolments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${registered.accessToken}` },
        body: '{}',
      }),
      'enrol',
    );
    learners.push({ userId: registered.user.id, token: registered.accessToken, enrolmentId: enrolment.id });
  }
  return { courseId: page.course.id, lessonIds: lessons.map((l) => l.id), learners };
}

/** Where the reference writes: the API's own PostgreSQL database, or a twin PGlite (the API holds its folder). */
async function rawWriter(ctx: BenchContext, target: DatabaseTarget) {
  if (target.kind === 'postgres') {
    const client = postgres(target.url, { max: CLIENTS, onnotice: () => {} });
    return {
      label: `raw multi-row INSERT into progress_events (postgres.js), ${BATCH} rows × ${CLIENTS} connections, same database`,
      insert: async (rows: NewProgressEventRow[]) => {
        await client`insert into progress_events ${client(
          rows.map((r) => ({
            user_id: r.userId,
            event_id: r.eventId,
            enrolment_id: r.enrolmentId,
            lesson_id: r.lessonId,
            kind: r.kind,
            request_hash: r.requestHash,
            result: r.result,
            flagged: false,
            created_at: r.createdAt,
          })) as never,
        )}`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const twin = await openTarget({ kind: 'pglite', dir: join(await tempDir('progress-raw'), 'pglite') });
  // the twin has none of the API's users and enrolments: its rows skip the foreign-key checks instead
  await twin.db.execute(sql`set session_replication_role = replica`);
  ctx.log('PGlite: the raw INSERT reference writes into a twin database (the API holds its own), foreign keys off');
  return {
    label: `raw multi-row INSERT into progress_events (drizzle), ${BATCH} rows × ${CLIENTS} concurrent, twin PGlite`,
    insert: async (rows: NewProgressEventRow[]) => {
      await twin.db.insert(progressEvents).values(rows);
    },
    close: () => twin.close(),
  };
}

/** Counts what the API stored for the learners: rows, and distinct event ids among them. */
async function storedCounts(target: DatabaseTarget, userIds: string[]): Promise<{ rows: number; distinct: number }> {
  const database = await openTarget(target, false);
  try {
    const [row] = await queryRows<{ rows: number; distinct: number }>(
      database.db,
      sql`select count(*)::int as rows, count(distinct (user_id, event_id))::int as distinct from progress_events
          where event_id not like 'raw-%' and user_id in (${sql.join(
            userIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    );
    return { rows: Number(row?.rows ?? 0), distinct: Number(row?.distinct ?? 0) };
  } finally {
    await database.close();
  }
}

export const learningProgressScenario: Scenario = {
  name: 'learning.progress',
  title: `progress events through POST /api/progress in batches of ${BATCH} from ${CLIENTS} clients, ${REPLAY_SHARE * 100} % of batches replayed, vs a raw multi-row INSERT of the same rows`,
  unit: 'events/s',
  better: 'higher',
  rounds: { small: 2, province: 5 },
  async setup(ctx) {
    const { server, target } = await startApiWithTarget(ctx, 'empty', { env: { RUN_WORKER: 'false' } });
    const { events, learners: learnerCount } = volume[ctx.scale];
    const { courseId, lessonIds, learners } = await prepareLearners(server, learnerCount);
    const raw = await rawWriter(ctx, target);
    let round = 0;
    let sent = 0;
    let replayedBatches = 0;
    let failed = false;
    const newEvent = (learner: number, k: number) => ({
      id: `bench-${round}-${learner}-${k}`,
      courseId,
      lessonId: lessonIds[k % lessonIds.length] as string,
      kind: 'opened' as const,
    });
    return {
      reference: {
        label: raw.label,
        run: async () => {
          round++;
          const createdAt = new Date();
          const rows: NewProgressEventRow[] = Array.from({ length: events }, (_, k) => {
            const learner = learners[k % learners.length] as Learner;
            const e = newEvent(k % learners.length, k);
            return {
              userId: learner.userId,
              eventId: `raw-${e.id}`,
              enrolmentId: learner.enrolmentId,
              lessonId: e.lessonId,
              kind: e.kind,
              requestHash: 'x'.repeat(43),
              result: { id: e.id, status: 'accepted', lessonCompleted: true, courseCompleted: false, replayed: true },
              flagged: false,
              createdAt,
            };
          });
          let next = 0;
          const batches = chunk(rows, BATCH);
          const started = performance.now();
          await Promise.all(
            Array.from({ length: CLIENTS }, async () => {
              while (next < batches.length) await raw.insert(batches[next++] as NewProgressEventRow[]);
            }),
          );
          return events / ((performance.now() - started) / 1000);
        },
      },
      subjects: [
        {
          label: `API POST /api/progress, batches of ${BATCH} × ${CLIENTS} clients, ${learners.length} learners, ${REPLAY_SHARE * 100} % of batches sent twice`,
          run: async () => {
            round++;
            // each learner's own batches (one user per request, as a phone sends them) …
            const perLearner = learners.map((learner, l) =>
              chunk(
                Array.from({ length: Math.ceil(events / learners.length) }, (_, k) => newEvent(l, k)),
                BATCH,
              ).map((batch) => ({ body: JSON.stringify({ events: batch }), headers: { authorization: `Bearer ${learner.token}` } })),
            );
            // interleaved, so requests at the same moment come from different phones, as in the field
            const fresh = Array.from({ length: Math.max(...perLearner.map((b) => b.length)) }, (_, k) => perLearner.flatMap((b) => b[k] ?? []));
            const queue = fresh.flat();
            // … and a share of them again, later in the queue (possibly while the first is still being written)
            const replays = queue.filter((_, i) => i % Math.round(1 / REPLAY_SHARE) === 0);
            replayedBatches += replays.length;
            const freshEvents = learners.length * Math.ceil(events / learners.length);
            sent += freshEvents;
            const seconds = await postEach({ url: `${server.origin}/api/progress`, headers: {}, bodies: [...queue, ...replays], connections: CLIENTS }).catch(
              (error: unknown) => {
                failed = true; // the round's own error is the one to report, not the count check after it
                throw new Error(`${error instanceof Error ? error.message : error}\n--- API output ---\n${server.output().slice(-3000)}`);
              },
            );
            return freshEvents / seconds;
          },
        },
      ],
      notes: () => ({ eventsPerRound: events, distinctEventsSent: sent, replayedBatches, database: target.kind }),
      close: async () => {
        await raw.close();
        await server.stop();
        if (failed) return;
        // afterwards, with the API stopped (PGlite is one process's): every id stored once, none lost
        const stored = await storedCounts(
          target,
          learners.map((l) => l.userId),
        );
        if (stored.rows !== sent || stored.distinct !== sent) {
          throw new Error(`progress_events holds ${stored.rows} rows (${stored.distinct} distinct ids) for ${sent} distinct events sent`);
        }
        ctx.log(`progress_events: ${stored.rows} rows for ${sent} distinct events sent (${replayedBatches} batches replayed): no duplicates, none lost`);
      },
    };
  },
};
