import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleanups } from '../fixtures/cleanup.ts';
import { startBare } from '../servers/bare.ts';
import type { ServerProcess } from '../servers/process.ts';
import { assertLoopback, runLoad } from './http-load.ts';

describe('runLoad', () => {
  let bare: ServerProcess;
  beforeAll(async () => {
    bare = await startBare();
  });
  afterAll(runCleanups);

  it('stops by itself after the request bound and reports the rate of 2xx answers', async () => {
    const result = await runLoad({ url: `${bare.origin}/bare`, connections: 2, seconds: 10, maxRequests: 200 });
    expect(result.ok).toBeGreaterThanOrEqual(200);
    expect(result.ok).toBeLessThan(210);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
  });

  it('refuses to count a run that met non-2xx answers', async () => {
    await expect(runLoad({ url: `${bare.origin}/missing`, connections: 1, seconds: 5, maxRequests: 5 })).rejects.toThrow(/non-2xx \(404/);
  });

  it('reads the server process memory', () => {
    expect(bare.rssMiB()).toBeGreaterThan(10);
  });
});

describe('assertLoopback', () => {
  it('allows this machine only', () => {
    expect(() => assertLoopback('http://127.0.0.1:3000/')).not.toThrow();
    expect(() => assertLoopback('http://10.0.0.5/')).toThrow(/loopback/);
    expect(() => assertLoopback('http://example.org/')).toThrow(/loopback/);
  });
});
