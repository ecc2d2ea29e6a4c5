import { randomBytes, randomUUID } from 'node:crypto';
import { provinceFixture } from '../fixtures/databases.ts';
import { SYNTHETIC_PASSWORD } from '../generator/generate.ts';
import { type MixedRequest, runLoad } from '../load/http-load.ts';
import type { Scenario } from '../scenario.ts';
import { accessToken, BENCH_DEMO_PASSWORD, startApi } from '../servers/api.ts';
import type { ServerProcess } from '../servers/process.ts';
import { httpRound } from './budget.ts';
import { CATALOG_QUERIES } from './catalog.ts';
import { bareReference } from './http.ts';
import { sampleStatement } from './xapi.ts';

/** A seeded course from content/ with a text lesson first, so progress events are accepted. */
const COURSE_SLUG = 'dien-thoai-thong-minh-an-toan';
const LEARNERS = 8;
const EVENTS_PER_BATCH = 10;
const STATEMENTS_PER_BATCH = 10;

/**
 * One cycle of 20 requests, as a connection sends them in turn: mostly reads by citizens (catalog, course
 * pages, lessons), the writes a phone makes (progress batches, statements from an activity), an officer's
 * dashboard and an outside party checking the public anchors. The weights are our estimate of a weekday
 * evening, not a measurement: the per-kind figures are in the scenarios of each area.
 */
export const MIX_WEIGHTS = {
  catalogListing: 5,
  catalogSearch: 2,
  coursePage: 3,
  lessonRead: 4,
  progressBatch: 2,
  statementBatch: 2,
  dashboard: 1,
  anchors: 1,
} as const;

/** The part of GET /api/courses/:slug this scenario reads (the bench does not depend on @hts/contracts). */
interface CoursePage {
  course: { id: string };
  modules: Array<{ lessons: Array<{ id: string; kind: string }> }>;
}

interface MixFixture {
  courseId: string;
  lessonId: string;
  learnerTokens: string[];
  officerToken: string;
  lrsAuthorization: string;
  year: number;
}

async function json<T>(api: ServerProcess, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${api.origin}${path}`, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Enrols synthetic citizens in the seeded course and finds a year the officer's dashboard covers. */
async function prepare(api: ServerProcess, logins: string[], lrsAuthorization: string): Promise<MixFixture> {
  const page = await json<CoursePage>(api, `/api/courses/${COURSE_SLUG}`);
  const course = page.course;
  const lesson = page.modules.flatMap((m) => m.lessons).find((l) => l.kind === 'text');
  if (!lesson) throw new Error(`${COURSE_SLUG} has no text lesson to report progress on`);
  const learnerTokens: string[] = [];
  for (const login of logins.slice(0, LEARNERS)) {
    const token = await accessToken(api, login, SYNTHETIC_PASSWORD);
    await json(api, `/api/courses/${course.id}/enrolments`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: '{}' });
    learnerTokens.push(token);
  }
  const officerToken = await accessToken(api, 'officer@demo.local', BENCH_DEMO_PASSWORD);
  let year = new Date().getFullYear();
  while ((await fetch(`${api.origin}/api/indicators?year=${year}`, { headers: bearer(officerToken) })).status === 404 && year > 2020) year--;
  return { courseId: course.id, lessonId: lesson.id, learnerTokens, officerToken, lrsAuthorization, year };
}

/** The requests of one cycle, in an interleaved order so no kind comes in a burst. */
export function mixCycle(f: MixFixture): MixedRequest[] {
  let learner = 0;
  const nextLearner = () => bearer(f.learnerTokens[learner++ % f.learnerTokens.length] as string);
  const lrs = { authorization: f.lrsAuthorization, 'x-experience-api-version': '1.0.3' };
  const make: Record<keyof typeof MIX_WEIGHTS, (i: number) => MixedRequest> = {
    catalogListing: () => ({ method: 'GET', path: '/api/courses?limit=20' }),
    catalogSearch: (i) => ({ method: 'GET', path: `/api/courses?q=${encodeURIComponent(CATALOG_QUERIES[i % CATALOG_QUERIES.length] as string)}&limit=20` }),
    coursePage: () => ({ method: 'GET', path: `/api/courses/${COURSE_SLUG}` }),
    lessonRead: () => ({ method: 'GET', path: `/api/courses/${f.courseId}/lessons/${f.lessonId}`, headers: nextLearner() }),
    progressBatch: () => ({
      method: 'POST',
      path: '/api/progress',
      headers: nextLearner(),
      body: () =>
        JSON.stringify({
          events: Array.from({ length: EVENTS_PER_BATCH }, () => ({ id: `mix-${randomUUID()}`, courseId: f.courseId, lessonId: f.lessonId, kind: 'opened' })),
        }),
    }),
    statementBatch: () => ({
      method: 'POST',
      path: '/xapi/statements',
      headers: lrs,
      body: () => JSON.stringify(Array.from({ length: STATEMENTS_PER_BATCH }, sampleStatement)),
    }),
    dashboard: () => ({ method: 'GET', path: `/api/indicators?year=${f.year}`, headers: bearer(f.officerToken) }),
    anchors: () => ({ method: 'GET', path: '/api/evidence/anchors' }),
  };
  // Round-robin over the kinds until each has sent its weight: interleaved, deterministic.
  const left: Record<string, number> = { ...MIX_WEIGHTS };
  const out: MixedRequest[] = [];
  for (let i = 0; out.length < Object.values(MIX_WEIGHTS).reduce((a, b) => a + b, 0); i++) {
    for (const kind of Object.keys(MIX_WEIGHTS) as Array<keyof typeof MIX_WEIGHTS>) {
      if ((left[kind] ?? 0) <= 0) continue;
      left[kind] = (left[kind] ?? 0) - 1;
      out.push(make[kind](i));
    }
  }
  return out;
}

export const mixScenario: Scenario = {
  name: 'http.mix',
  title: 'a weekday-evening request mix (catalog, course pages, lessons, progress and statement batches, dashboard, anchors) vs a bare Fastify route',
  unit: 'req/s',
  better: 'higher',
  async setup(ctx) {
    const key = 'bench-mix';
    const secret = randomBytes(24).toString('base64url');
    const api = await startApi(ctx, 'province', { env: { LRS_DEMO_KEY: key, LRS_DEMO_SECRET: secret } });
    const { logins } = await provinceFixture(ctx);
    const fixture = await prepare(api, logins, `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`);
    const mix = mixCycle(fixture);
    const budget = httpRound[ctx.scale];
    let last = { p50: Number.NaN, p99: Number.NaN };
    return {
      reference: await bareReference(ctx),
      subjects: [
        {
          label: `API, ${mix.length}-request cycle per connection × ${budget.connections} connections`,
          run: async () => {
            const result = await runLoad({ url: `${api.origin}/`, mix, ...budget });
            last = { p50: result.latencyP50Ms, p99: result.latencyP99Ms };
            return result.requestsPerSecond;
          },
        },
      ],
      notes: () => ({
        'mix per cycle': Object.entries(MIX_WEIGHTS)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
        'last round latency p50 ms': last.p50,
        'last round latency p99 ms': last.p99,
        'dashboard year': fixture.year,
      }),
      close: async () => {},
    };
  },
};
