import { fileURLToPath } from 'node:url';
import { onCleanup } from '../fixtures/cleanup.ts';
import { type ServerProcess, spawnServer } from './process.ts';

const benchDir = fileURLToPath(new URL('../../', import.meta.url));

/** The bare Fastify reference (src/servers/bare-server.ts) in its own process; its route is /bare. */
export async function startBare(): Promise<ServerProcess> {
  const server = await spawnServer({ args: ['--import', 'tsx', 'src/servers/bare-server.ts'], cwd: benchDir, readyPattern: /^listening on/ });
  onCleanup(() => server.stop());
  return server;
}

let shared: Promise<ServerProcess> | undefined;
export function sharedBare(): Promise<ServerProcess> {
  if (!shared) {
    shared = startBare();
    onCleanup(async () => {
      shared = undefined;
    });
  }
  return shared;
}
