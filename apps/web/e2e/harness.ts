/**
 * Starts what the browser tests need: the API (from source, on a fresh data folder), the built web server,
 * and the system Chromium. Nothing is downloaded; the web app must have been built first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(webDir, '../..');
export const DEMO_PASSWORD = 'demo-pass-123';
export const screenshotDir = process.env.SCREENSHOT_DIR ?? join(webDir, 'e2e/.screenshots');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

function startProcess(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, url: string): Server {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, url, child, output: () => output };
}

/** Poll `url` until it answers 200; on timeout or early exit, fail with the server's output. */
export async function waitFor(server: Server, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited with code ${server.child.exitCode} before answering ${url}:\n${server.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${server.name} did not answer 200 at ${url} within ${timeoutMs / 1000} s (last: ${last}). Its output:\n${server.output()}`);
}

export async function startApi(extraEnv: NodeJS.ProcessEnv = {}): Promise<Server & { dataDir: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hts-e2e-'));
  // E2E_API_DIR: run against another checkout of the API (default: this repository's apps/api)
  const cwd = process.env.E2E_API_DIR ?? join(repoDir, 'apps/api');
  const server = startProcess(
    'API',
    ['--import', 'tsx', 'src/main.ts'],
    cwd,
    {
      ...process.env,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_PASSWORD,
      NODE_ENV: 'test',
      DATABASE_URL: '',
      // The demo clip would take the CPU the tests need; the media test uploads its own.
      DEMO_VIDEO: 'false',
      ...extraEnv,
    },
    `http://127.0.0.1:${port}`,
  );
  try {
    // E2E_START_TIMEOUT_MS: a loaded shared machine may need longer than a minute to migrate and seed
    await waitFor(server, `${server.url}/health`, Number(process.env.E2E_START_TIMEOUT_MS ?? 60_000));
  } catch (err) {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return { ...server, dataDir };
}

/** `port`: pick it first when the API must know the web address (signed object URLs start with it). */
export async function startWeb(apiUrl: string, port?: number): Promise<Server> {
  if (!existsSync(join(webDir, 'build/index.js'))) {
    throw new Error('apps/web/build is missing: run `pnpm --filter @hts/web build` before the browser tests');
  }
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(
    'web',
    ['build/index.js'],
    webDir,
    { ...process.env, PORT: String(port), HOST: '127.0.0.1', API_URL: apiUrl, ORIGIN: url, BODY_SIZE_LIMIT: String(65 * 1024 * 1024) },
    url,
  );
  try {
    await waitFor(server, `${url}/login`, 30_000);
  } catch (err) {
    await stop(server);
    throw err;
  }
  return server;
}

export async function stop(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** A phone-sized page: 390 × 844, touch, no cookies from other tests. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN' });
}
