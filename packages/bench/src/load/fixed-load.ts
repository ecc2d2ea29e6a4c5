import { Agent, request } from 'node:http';
import { assertLoopback } from './http-load.ts';

/**
 * POSTs every body once over `connections` keep-alive connections and answers the seconds from the first
 * request to the last answer. For rounds that are a fixed amount of work (each body a new write), where
 * autocannon's whole-second clock would swamp a short round. node:http, not fetch: on a 2-core machine the
 * load generator's own CPU is part of what the server competes with, and node:http costs a quarter of it.
 * Any answer other than `expectStatus` fails the round: a fast error is not a result.
 */
export async function postEach(options: {
  url: string;
  headers: Record<string, string>;
  /** A body, or a body with headers of its own (another user's token) on top of `headers`. */
  bodies: Array<string | { body: string; headers: Record<string, string> }>;
  connections: number;
  expectStatus?: number;
}): Promise<number> {
  assertLoopback(options.url);
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const expected = options.expectStatus ?? 200;
  const send = (item: string | { body: string; headers: Record<string, string> }) =>
    new Promise<void>((resolve, reject) => {
      const body = typeof item === 'string' ? item : item.body;
      const own = typeof item === 'string' ? {} : item.headers;
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers, ...own },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === expected) resolve();
            else reject(new Error(`POST ${url.pathname} answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 500)}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (next < options.bodies.length) await send(options.bodies[next++] as (typeof options.bodies)[number]);
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    agent.destroy();
  }
}
