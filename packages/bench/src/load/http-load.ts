import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Bodies sent in turn (a POST mix); one body, or none for GET. */
  bodies?: string[];
  /** Paths requested in turn on the url's origin (a GET mix); absent: the url's own path. */
  paths?: string[];
  /** A request mix: each connection sends these in turn (method, path, headers and a body made per request). */
  mix?: MixedRequest[];
  connections: number;
  /** Seconds: the load stops by itself after this long … */
  seconds: number;
  /** … or after this many requests, whichever comes first. */
  maxRequests: number;
}

export interface MixedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Called for every request sent, so writes can carry fresh ids. */
  body?: () => string;
}

export interface LoadResult {
  requestsPerSecond: number;
  ok: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * What every phone browser sends with a request and the bench's clients send too, on both sides of a ratio:
 * the API answers what it may compress compressed, as the people it serves get it.
 */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = { 'accept-encoding': 'gzip, deflate, br' };

/** Load only ever goes to this machine (the workplace's rule, and the bench's meaning: no network in the way). */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost' && host !== '[::1]') throw new Error(`load may only target loopback, not ${host}`);
}

/**
 * HTTP load from this process against a server in another one, bounded in time and count. A run that
 * saw any non-2xx answer or connection error throws: a fast error page is not a result.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.url);
  const bodies = options.bodies ?? [];
  let next = 0;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: { ...BROWSER_HEADERS, ...(bodies.length > 0 ? { 'content-type': 'application/json' } : {}), ...options.headers },
    connections: options.connections,
    duration: options.seconds,
    maxOverallRequests: Math.max(options.maxRequests, options.connections),
    ...(options.paths ? { requests: options.paths.map((path) => ({ path })) } : {}),
    ...(options.mix ? { requests: options.mix.map(mixedRequest) } : {}),
    ...(bodies.length > 0
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.body = bodies[next++ % bodies.length] as string;
                return request;
              },
            },
          ],
        }
      : {}),
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, s]) => `${code}×${s.count ?? 0}`)
      .join(' ');
    throw new Error(`${options.method ?? 'GET'} ${options.url}: ${result.non2xx} non-2xx (${codes}), ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return { requestsPerSecond: result['2xx'] / seconds, ok: result['2xx'], latencyP50Ms: result.latency.p50, latencyP99Ms: result.latency.p99 };
}

function mixedRequest(m: MixedRequest): autocannon.Request {
  const headers = { ...BROWSER_HEADERS, ...(m.body ? { 'content-type': 'application/json' } : {}), ...m.headers };
  const make = m.body;
  if (!make) return { method: m.method, path: m.path, headers };
  return {
    method: m.method,
    path: m.path,
    headers,
    setupRequest: (request) => {
      request.body = make();
      return request;
    },
  };
}
