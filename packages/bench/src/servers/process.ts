import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  pid: number;
  /** Resident memory of the server process, MiB (Linux /proc). */
  rssMiB(): number;
  /** Everything the process printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  args: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  /** The line that carries the listening address; its first http://… is the origin. */
  readyPattern: RegExp;
  timeoutMs?: number;
}

/** Starts a server as a child process and waits until it prints its address. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no "${options.readyPattern}" within ${options.timeoutMs ?? 120_000} ms`)), options.timeoutMs ?? 120_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- server output ---\n${output.slice(-4000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => options.readyPattern.test(l));
      const url = line && /http:\/\/[^\s)]+/.exec(line)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve(new URL(url).origin);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`server exited with ${code} before it was ready`)));
  });
  child.removeAllListeners('exit');
  return {
    origin,
    pid: child.pid as number,
    rssMiB: () => readRssMiB(child.pid as number),
    output: () => output,
    stop: () => stopChild(child),
  };
}

export function readRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb / 1024;
}

/** SIGTERM, then SIGKILL if it has not gone within 5 s: a bench must never leave a server behind. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
