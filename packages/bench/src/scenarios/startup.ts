import type { Scenario } from '../scenario.ts';
import { startApi } from '../servers/api.ts';
import { spawnServer } from '../servers/process.ts';

/** Polls until the URL answers 200: "ready" means serving, not merely listening. */
async function waitFor200(url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not accepting connections yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

const bareNode = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

export const startupScenario: Scenario = {
  name: 'api.start',
  title: 'embedded first start to ready (fresh DATA_DIR: migrate, seed, demo accounts) vs a bare node -e server',
  unit: 'ms',
  better: 'lower',
  // A first start migrates and seeds: seconds per round, so few rounds, and no warm-up at small scale.
  rounds: { small: 2, province: 5 },
  warmup: 0,
  async setup(ctx) {
    return {
      reference: {
        label: 'bare node -e http server',
        run: async () => {
          const t0 = performance.now();
          const server = await spawnServer({ args: ['-e', bareNode], cwd: process.cwd(), readyPattern: /^listening on/ });
          await waitFor200(`${server.origin}/`);
          const ms = performance.now() - t0;
          await server.stop();
          return ms;
        },
      },
      subjects: [
        {
          label: `API node --import tsx src/main.ts (${ctx.databaseUrl ? 'PostgreSQL' : 'PGlite'})`,
          run: async () => {
            const t0 = performance.now();
            const server = await startApi(ctx, 'empty');
            await waitFor200(`${server.origin}/health`);
            const ms = performance.now() - t0;
            await server.stop();
            return ms;
          },
        },
      ],
      close: async () => {},
    };
  },
};
