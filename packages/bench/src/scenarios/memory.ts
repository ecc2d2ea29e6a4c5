import { provinceFixture } from '../fixtures/databases.ts';
import { SYNTHETIC_PASSWORD } from '../generator/generate.ts';
import { runLoad } from '../load/http-load.ts';
import type { Scale, Scenario, Side } from '../scenario.ts';
import { accessToken, startApi } from '../servers/api.ts';
import { startBare } from '../servers/bare.ts';
import type { ServerProcess } from '../servers/process.ts';

/** Requests per round: the memory question is "does it grow with requests served", so count, not time. */
const requestsPerRound: Record<Scale, number> = { small: 1_000, province: 5_000 };

export const memoryScenario: Scenario = {
  name: 'api.memory',
  title: 'API resident memory after each round of N mixed reads vs the bare Fastify server',
  unit: 'MiB RSS',
  better: 'lower',
  warmup: 1,
  rounds: { small: 3, province: 5 },
  async setup(ctx) {
    // Fresh processes: memory measured on a server that has served nothing else.
    const [api, bare] = await Promise.all([startApi(ctx, 'province'), startBare()]);
    const { logins } = await provinceFixture(ctx);
    const token = await accessToken(api, logins[0] as string, SYNTHETIC_PASSWORD);
    const n = requestsPerRound[ctx.scale];
    const start = { api: api.rssMiB(), bare: bare.rssMiB() };
    const side = (label: string, server: ServerProcess, paths: string[], headers?: Record<string, string>): Side => ({
      label,
      run: async () => {
        await runLoad({ url: `${server.origin}/`, paths, headers, connections: 10, seconds: 120, maxRequests: n });
        return server.rssMiB();
      },
    });
    return {
      reference: side(`bare Fastify after ${n.toLocaleString('en-US')} × /bare`, bare, ['/bare']),
      subjects: [
        side(
          `API after ${n.toLocaleString('en-US')} × (/health, target-groups, communes, /api/me)`,
          api,
          ['/health', '/api/target-groups', '/api/geo/communes', '/api/me'],
          {
            authorization: `Bearer ${token}`,
          },
        ),
      ],
      notes: () => ({
        apiRssStartMiB: start.api,
        apiRssEndMiB: api.rssMiB(),
        apiGrowthMiB: api.rssMiB() - start.api,
        bareRssStartMiB: start.bare,
        bareGrowthMiB: bare.rssMiB() - start.bare,
      }),
      close: async () => {
        await Promise.all([api.stop(), bare.stop()]);
      },
    };
  },
};
