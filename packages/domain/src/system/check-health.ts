import type { Health } from '@hts/contracts';

interface Probe {
  ping(): Promise<void>;
}

async function timed(probe: () => Promise<void>, timeoutMs: number): Promise<Health['checks']['database']> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    // Only a short reason: health is public and must not leak connection strings.
    return {
      ok: false,
      ms: Math.round(performance.now() - start),
      error: (error as Error).name === 'Error' ? (error as Error).message.slice(0, 120) : (error as Error).name,
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(deps: { database: Probe; objectStore: { health(): Promise<void> } }, timeoutMs = 2000): Promise<Health> {
  const [database, objectStore] = await Promise.all([timed(() => deps.database.ping(), timeoutMs), timed(() => deps.objectStore.health(), timeoutMs)]);
  return { status: database.ok && objectStore.ok ? 'ok' : 'degraded', checks: { database, objectStore } };
}
