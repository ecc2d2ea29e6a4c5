#!/usr/bin/env node
// Starts the embedded platform: the API (with its in-process worker, PGlite and the local object folder)
// and the web server that proxies /api/* to it. `--dev` runs both in watch mode instead of the built web app.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dev = process.argv.includes('--dev');
const env = process.env;
const webPort = env.PORT || '3000';
const apiPort = env.API_PORT || '3001';
const dataDir = resolve(env.DATA_DIR || join(root, 'data'));

// The web server's session key must survive restarts, or everyone is signed out each time.
function sessionSecret() {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  const file = join(dataDir, 'secrets.json');
  const secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets.session) {
    secrets.session = randomBytes(32).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets.session;
}

const children = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function run(name, command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} stopped (${signal ?? `exit ${code}`}); stopping the platform`);
      stopAll(code || 1);
    }
  });
  return child;
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

const apiEnv = { ...env, API_PORT: apiPort, DATA_DIR: dataDir, PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${webPort}` };
run('api', process.execPath, ['--import', 'tsx', ...(dev ? ['--watch'] : []), 'src/main.ts'], { cwd: join(root, 'apps/api'), env: apiEnv });

if (!(await waitForHealth(`http://127.0.0.1:${apiPort}/health`, 120_000))) {
  console.error('[start] the API did not become healthy within 2 minutes');
  stopAll(1);
} else {
  const webEnv = {
    ...env,
    PORT: webPort,
    HOST: env.HOST || '0.0.0.0',
    API_URL: env.API_URL || `http://127.0.0.1:${apiPort}`,
    ORIGIN: env.ORIGIN || `http://localhost:${webPort}`,
    SESSION_SECRET: sessionSecret(),
    // Video upload parts (MEDIA_PART_SIZE, 8 MiB by default, 64 MiB at most) stream through the web
    // server; the web server's hook keeps every other body at 512 KB.
    BODY_SIZE_LIMIT: env.BODY_SIZE_LIMIT || String(65 * 1024 * 1024),
  };
  if (dev) {
    run('web', process.execPath, [join(root, 'apps/web/node_modules/vite/bin/vite.js'), 'dev', '--port', webPort, '--strictPort'], {
      cwd: join(root, 'apps/web'),
      env: webEnv,
    });
  } else {
    run('web', process.execPath, ['build/index.js'], { cwd: join(root, 'apps/web'), env: webEnv });
  }
  if (await waitForHealth(`http://127.0.0.1:${webPort}/health`, 60_000)) {
    console.log(`\n  Học tập số đang chạy / is running:  http://localhost:${webPort}\n  (Ctrl+C để dừng / to stop)\n`);
  }
}
