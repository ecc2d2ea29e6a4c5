import { basename, dirname } from 'node:path';
import { onCleanup } from '../fixtures/cleanup.ts';
import { copyOfProvince, type DatabaseTarget, scratchPostgres, tempDir } from '../fixtures/databases.ts';
import { apiDir } from '../paths.ts';
import type { BenchContext } from '../scenario.ts';
import { type ServerProcess, spawnServer } from './process.ts';

export const BENCH_DEMO_PASSWORD = 'bench-demo-pass-1';

/**
 * The real API as people run it (`node --import tsx src/main.ts` in apps/api), on 127.0.0.1 and a free
 * port, with its own data folder. `province`: on a copy of the synthetic province; `empty`: a fresh,
 * empty database it must migrate and seed itself (the first start of an install).
 */
export interface StartApiOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
}

export async function startApi(ctx: BenchContext, data: 'province' | 'empty', options: StartApiOptions = {}): Promise<ServerProcess & { dataDir: string }> {
  const { server, dataDir } = await startApiWithTarget(ctx, data, options);
  return { ...server, dataDir };
}

/** As startApi, answering also where its database is; or on a database the scenario prepared (`data` a target). */
export async function startApiWithTarget(
  ctx: BenchContext,
  data: 'province' | 'empty' | DatabaseTarget,
  options: StartApiOptions = {},
): Promise<{ server: ServerProcess; target: DatabaseTarget; dataDir: string }> {
  // a PGlite target is `<data dir>/pglite`: the API must run on that data dir, not a fresh one
  const dataDir = typeof data === 'object' && data.kind === 'pglite' && basename(data.dir) === 'pglite' ? dirname(data.dir) : await tempDir('api');
  let target: DatabaseTarget;
  if (typeof data === 'object') target = data;
  else if (data === 'province') target = await copyOfProvince(ctx, dataDir);
  else target = ctx.databaseUrl ? { kind: 'postgres', url: await scratchPostgres(ctx.databaseUrl) } : { kind: 'pglite', dir: `${dataDir}/pglite` };
  const server = await spawnServer({
    args: ['--import', 'tsx', ...(options.nodeArgs ?? []), 'src/main.ts'],
    cwd: apiDir,
    env: { ...apiEnv(dataDir, target), ...options.env },
    readyPattern: /\[api\] listening on/,
  });
  onCleanup(() => server.stop());
  return { server, target, dataDir };
}

/** Everything set explicitly, so a developer's own .env or shell (DATABASE_URL, S3_*) never leaks in. */
export function apiEnv(dataDir: string, target: DatabaseTarget): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    DATABASE_URL: target.kind === 'postgres' ? target.url : '',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_PASSWORD: BENCH_DEMO_PASSWORD,
    // the demo clip's transcode (ffmpeg, in the API's worker) would share the cores with the measured rounds
    DEMO_VIDEO: 'false',
    // The bench signs in thousands of times from one address: the per-address limit would answer 429.
    SIGNIN_RATE_PER_ADDRESS: '100000000',
    ACCESS_TOKEN_TTL: '3600',
    S3_ENDPOINT: '',
  };
}

let shared: Promise<ServerProcess> | undefined;
/** One API on the province for the read scenarios of a run; stopped with the run's cleanups. */
export function sharedApi(ctx: BenchContext): Promise<ServerProcess> {
  if (!shared) {
    shared = startApi(ctx, 'province');
    onCleanup(async () => {
      shared = undefined;
    });
  }
  return shared;
}

/** Signs a synthetic citizen in over HTTP and answers the access token (for the routes behind auth). */
export async function accessToken(api: ServerProcess, login: string, password: string): Promise<string> {
  const res = await fetch(`${api.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${login} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
