import { hash, verify } from '@node-rs/argon2';
import { provinceFixture } from '../fixtures/databases.ts';
import { SYNTHETIC_PASSWORD } from '../generator/generate.ts';
import { runLoad } from '../load/http-load.ts';
import type { Scenario } from '../scenario.ts';
import { accessToken, sharedApi } from '../servers/api.ts';
import { httpRound } from './budget.ts';
import { bareReference, getSide } from './http.ts';

// argon2id is meant to cost ~tens of ms: few connections are enough to fill two cores.
const SIGN_IN_CONCURRENCY = 4;

export const signInScenario: Scenario = {
  name: 'auth.sign-in',
  title: 'sign-in over HTTP (argon2id) vs bare @node-rs/argon2 verify in-process',
  unit: 'sign-ins/s',
  better: 'higher',
  async setup(ctx) {
    const api = await sharedApi(ctx);
    const { logins } = await provinceFixture(ctx);
    if (logins.length === 0) throw new Error('the province has no active citizens to sign in');
    const bodies = logins.map((login) => JSON.stringify({ login, password: SYNTHETIC_PASSWORD }));
    const storedHash = await hash(SYNTHETIC_PASSWORD);
    const { seconds } = httpRound[ctx.scale];
    return {
      reference: {
        label: `bare argon2 verify × ${SIGN_IN_CONCURRENCY} concurrent`,
        run: async () => {
          const until = performance.now() + seconds * 1000;
          let done = 0;
          const worker = async () => {
            while (performance.now() < until) {
              if (!(await verify(storedHash, SYNTHETIC_PASSWORD))) throw new Error('argon2 verify failed');
              done++;
            }
          };
          const started = performance.now();
          await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, worker));
          return done / ((performance.now() - started) / 1000);
        },
      },
      subjects: [
        {
          label: `API POST /api/auth/login × ${SIGN_IN_CONCURRENCY} connections`,
          run: async () =>
            (
              await runLoad({
                url: `${api.origin}/api/auth/login`,
                method: 'POST',
                bodies,
                connections: SIGN_IN_CONCURRENCY,
                seconds,
                maxRequests: 100_000,
              })
            ).requestsPerSecond,
        },
      ],
      close: async () => {},
    };
  },
};

export const meScenario: Scenario = {
  name: 'auth.me',
  title: 'GET /api/me with a bearer token (auth overhead) vs a bare Fastify route',
  unit: 'req/s',
  better: 'higher',
  async setup(ctx) {
    const api = await sharedApi(ctx);
    const { logins } = await provinceFixture(ctx);
    const token = await accessToken(api, logins[0] as string, SYNTHETIC_PASSWORD);
    return {
      reference: await bareReference(ctx),
      subjects: [getSide(ctx, 'API GET /api/me (Bearer)', () => `${api.origin}/api/me`, { authorization: `Bearer ${token}` })],
      close: async () => {},
    };
  },
};
