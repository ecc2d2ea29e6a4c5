import { runLoad } from '../load/http-load.ts';
import type { BenchContext, Scenario, Side } from '../scenario.ts';
import { sharedApi } from '../servers/api.ts';
import { sharedBare } from '../servers/bare.ts';
import { httpRound } from './budget.ts';

/** A GET side: requests per second that one load round sustains, every answer a 2xx. */
export function getSide(ctx: BenchContext, label: string, url: () => string, headers?: Record<string, string>): Side {
  const budget = httpRound[ctx.scale];
  return { label, run: async () => (await runLoad({ url: url(), headers, ...budget })).requestsPerSecond };
}

/** The bare Fastify route every HTTP scenario is measured against. */
export async function bareReference(ctx: BenchContext): Promise<Side> {
  const bare = await sharedBare();
  return getSide(ctx, 'bare Fastify GET /bare', () => `${bare.origin}/bare`);
}

export const httpReadScenario: Scenario = {
  name: 'http.read',
  title: 'public reads of the real API vs a bare Fastify route',
  unit: 'req/s',
  better: 'higher',
  async setup(ctx) {
    const api = await sharedApi(ctx);
    return {
      reference: await bareReference(ctx),
      subjects: ['/health', '/api/target-groups', '/api/geo/communes'].map((path) => getSide(ctx, `API GET ${path}`, () => `${api.origin}${path}`)),
      close: async () => {},
    };
  },
};
