import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { OneLineAccessLog } from './access-log.ts';

/** A Fastify app logging into memory at `level`, with the API's access log. */
async function appLoggingAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({ logger: { level, stream }, logController: new OneLineAccessLog() });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines };
}

describe('access log', () => {
  it('writes one line per request at info, with the method, URL, status, time taken and request id', async () => {
    const { app, lines } = await appLoggingAt('info');
    await app.inject({ method: 'GET', url: '/ok?x=1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: expect.any(String),
      req: { method: 'GET', url: '/ok?x=1' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    await app.close();
  });

  it('logs a failed request with its error and status, as before', async () => {
    const { app, lines } = await appLoggingAt('info');
    await app.inject({ method: 'GET', url: '/boom' });
    expect(lines.some((l) => l.level === 50 && (l.err as { message?: string })?.message === 'boom')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'request completed', req: { url: '/boom' }, res: { statusCode: 500 } });
    await app.close();
  });

  it('adds the line written as a request arrives at debug, to find requests that never complete', async () => {
    const { app, lines } = await appLoggingAt('debug');
    await app.inject({ method: 'GET', url: '/ok' });
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[0]).toMatchObject({ level: 20, req: { method: 'GET', url: '/ok' } });
    await app.close();
  });

  it('writes nothing per request at warn', async () => {
    const { app, lines } = await appLoggingAt('warn');
    await app.inject({ method: 'GET', url: '/ok' });
    expect(lines).toEqual([]);
    await app.close();
  });
});
