/**
 * The transparent proxy from the web server to the API: `/api/*`, `/objects/*` (the local object folder's
 * signed URLs, embedded mode), `/xapi/*` (the LRS), `/health`, `/openapi.json`, `/docs*`.
 */

export function isProxyPath(pathname: string): boolean {
  return (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname.startsWith('/objects/') ||
    // the LRS, so external activities report through the address the learner opened
    pathname === '/xapi' ||
    pathname.startsWith('/xapi/') ||
    pathname === '/health' ||
    pathname === '/openapi.json' ||
    pathname === '/docs' ||
    pathname.startsWith('/docs/')
  );
}

const UPLOAD_PART = /^\/api\/media\/uploads\/[0-9a-f-]{36}\/parts\/[0-9]{1,5}$/;
const ASSESSMENT_ATTACHMENT = /^\/api\/me\/assessment-attachments$/;
const COURSE_PACKAGE = '/api/trainer/courses/import';
const REGISTRY_IMPORT = '/api/registry/imports';

/**
 * Upload parts (up to MEDIA_PART_SIZE, megabytes each), self-assessment attachments (photos, up to 5 MB),
 * course packages (up to 16 MiB) and registry files (up to REGISTRY_IMPORT_MAX_BYTES) are streamed to the API
 * as they arrive instead of being read into memory first; the API enforces their limits. Every other body is
 * small and read whole.
 */
export function isStreamedUpload(method: string, pathname: string): boolean {
  if (method === 'PUT') return UPLOAD_PART.test(pathname) || ASSESSMENT_ATTACHMENT.test(pathname);
  return method === 'POST' && (pathname === COURSE_PACKAGE || pathname === REGISTRY_IMPORT);
}

/** Bodies other than upload parts stay within adapter-node's usual 512 KB even though BODY_SIZE_LIMIT is raised for parts. */
export const MAX_BUFFERED_BODY = 512 * 1024;

/** Request headers passed on to the API; everything else (cookies above all) stays here. */
export const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'range',
  'user-agent',
  'x-experience-api-version',
] as const;

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those the proxy recomputes; never copied either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The origins this site answers on: the configured one and the one of the Host the browser addressed. */
export function siteOrigins(url: URL, headers: Headers): string[] {
  const origins = [url.origin];
  const host = headers.get('host');
  if (host && /^[A-Za-z0-9.\-[\]:]+$/.test(host)) {
    const fromHost = `${url.protocol}//${host.toLowerCase()}`;
    if (!origins.includes(fromHost)) origins.push(fromHost);
  }
  return origins;
}

/** True when the browser says the request comes from a page of this site. */
export function isSameOriginRequest(headers: Headers, origins: readonly string[]): boolean {
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite === 'same-origin') return true;
  const origin = headers.get('origin');
  return origin !== null && origin !== 'null' && origins.includes(origin);
}

/** A form-encoded POST/PUT/PATCH/DELETE: the kind of request a foreign page can make a browser send. */
export function isFormSubmission(request: Request): boolean {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return false;
  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data' || type === 'text/plain';
}

export interface ProxyHeaderInput {
  incoming: Headers;
  clientAddress: string;
  /** The session's access token, injected only for same-origin requests without their own Authorization. */
  accessToken: string | null;
  sameOrigin: boolean;
}

export function buildProxyRequestHeaders({ incoming, clientAddress, accessToken, sameOrigin }: ProxyHeaderInput): Headers {
  const out = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) out.set(name, value);
  }
  // The API rate-limits and audits by address: it must see the browser's, not ours. Whatever the browser
  // claimed in its own X-Forwarded-For is dropped.
  out.set('x-forwarded-for', clientAddress);
  // Node's fetch would decompress the body anyway; ask for it plain so it can be streamed as it comes.
  out.set('accept-encoding', 'identity');
  if (!out.has('authorization') && accessToken && sameOrigin) out.set('authorization', `Bearer ${accessToken}`);
  return out;
}

export function buildProxyResponseHeaders(upstream: Headers, apiUrl: string): Headers {
  const out = new Headers();
  const listedInConnection = new Set(
    (upstream.get('connection') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const decoded = upstream.has('content-encoding');
  upstream.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || listedInConnection.has(name) || name === 'set-cookie') return;
    // fetch has already decoded a compressed body: its encoding and length no longer apply
    if (decoded && (name === 'content-encoding' || name === 'content-length')) return;
    if (name === 'location') {
      out.set(name, localLocation(value, apiUrl));
      return;
    }
    out.set(name, value);
  });
  for (const cookie of upstream.getSetCookie()) out.append('set-cookie', cookie);
  return out;
}

/** An absolute redirect to the API becomes a path on this site. */
function localLocation(location: string, apiUrl: string): string {
  const api = new URL(apiUrl);
  try {
    const target = new URL(location, api);
    if (target.origin === api.origin) return target.pathname + target.search + target.hash;
  } catch {
    // leave it as it is
  }
  return location;
}

export interface ProxyOptions {
  apiUrl: string;
  clientAddress: string;
  accessToken: string | null;
  sameOrigin: boolean;
  /** Set-Cookie values to add (a refreshed session cookie). */
  setCookies?: string[];
  fetch?: typeof fetch;
}

export async function proxyToApi(request: Request, url: URL, options: ProxyOptions): Promise<Response> {
  const target = new URL(url.pathname + url.search, `${options.apiUrl}/`);
  const method = request.method;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const headers = buildProxyRequestHeaders({
    incoming: request.headers,
    clientAddress: options.clientAddress,
    accessToken: options.accessToken,
    sameOrigin: options.sameOrigin,
  });
  const streamed = hasBody && isStreamedUpload(method, url.pathname);
  let upstream: Response;
  try {
    upstream = await (options.fetch ?? fetch)(target, {
      method,
      headers,
      body: streamed ? request.body : hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      signal: request.signal,
      // Node's fetch needs this to send a stream body.
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (err) {
    console.error(`proxy: ${method} ${url.pathname} failed:`, err instanceof Error ? err.message : err);
    return new Response(JSON.stringify({ code: 'unavailable', message: 'The API cannot be reached' }), {
      status: 502,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const responseHeaders = buildProxyResponseHeaders(upstream.headers, options.apiUrl);
  for (const cookie of options.setCookies ?? []) responseHeaders.append('set-cookie', cookie);
  const noBody = method === 'HEAD' || [101, 204, 205, 304].includes(upstream.status);
  return new Response(noBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}
