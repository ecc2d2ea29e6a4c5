import { runLoad } from '../load/http-load.ts';
import type { Scenario } from '../scenario.ts';
import { sharedApi } from '../servers/api.ts';
import { httpRound } from './budget.ts';
import { bareReference, getSide } from './http.ts';

/** What people type, mostly without diacritics, as the catalog's search box receives it. */
export const CATALOG_QUERIES = [
  'ky nang so',
  'an toan tren mang',
  'dich vu cong',
  'thanh toan dien tu',
  'nong dan',
  'du lieu ca nhan',
  'Kỹ năng số',
  'thuong mai',
];
const searchPaths = CATALOG_QUERIES.map((q) => `/api/courses?q=${encodeURIComponent(q)}&limit=20`);

/**
 * A filter every generated course passes (they last at most 150 minutes) but a different value per request:
 * each such search is a new cache key, so its answer comes from the database, not the API's answer cache.
 */
let uncachedSerial = 0;
const uncached = (path: string) => `${path}&maxMinutes=${100_000 - (uncachedSerial++ % 90_000)}`;

/** p95 of one search at a time (no queueing behind other requests): the latency a person waits for. */
async function searchP95(origin: string, requests: number, fresh = false): Promise<{ p95: number; p50: number }> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const path = searchPaths[i % searchPaths.length] as string;
    const started = performance.now();
    const res = await fetch(`${origin}${fresh ? uncached(path) : path}`);
    if (!res.ok) throw new Error(`catalog search answered ${res.status}`);
    await res.arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN).toFixed(2));
  return { p95: at(0.95), p50: at(0.5) };
}

export const catalogScenario: Scenario = {
  name: 'http.catalog',
  title: 'catalog listing and diacritic-free search over 3,000 generated published courses vs a bare Fastify route',
  unit: 'req/s',
  better: 'higher',
  async setup(ctx) {
    const api = await sharedApi(ctx);
    const budget = httpRound[ctx.scale];
    await searchP95(api.origin, 20); // warm-up: plans cached, pages in memory
    const latency = await searchP95(api.origin, ctx.scale === 'province' ? 400 : 40);
    const fromDatabase = await searchP95(api.origin, ctx.scale === 'province' ? 400 : 40, true);
    return {
      reference: await bareReference(ctx),
      subjects: [
        getSide(ctx, 'API GET /api/courses (listing, 20 per page)', () => `${api.origin}/api/courses?limit=20`),
        // the same page to a client that accepts no compression: 11 kB a page instead of 2 kB at province scale
        getSide(ctx, 'API GET /api/courses (listing, to a client accepting no compression)', () => `${api.origin}/api/courses?limit=20`, {
          'accept-encoding': 'identity',
        }),
        {
          label: `API GET /api/courses?q=… (${CATALOG_QUERIES.length} queries in turn)`,
          run: async () => (await runLoad({ url: `${api.origin}/api/courses`, paths: searchPaths, ...budget })).requestsPerSecond,
        },
      ],
      notes: () => ({
        'search p95 ms (one at a time)': latency.p95,
        'search p50 ms (one at a time)': latency.p50,
        'search p95 ms (one at a time, every answer from the database)': fromDatabase.p95,
        'search p50 ms (one at a time, every answer from the database)': fromDatabase.p50,
      }),
      close: async () => {},
    };
  },
};
