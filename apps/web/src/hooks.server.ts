import { ApiError } from '@hts/api-client';
import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { LANG_COOKIE, parseLang } from '$lib/i18n/index.ts';
import { createServerApi } from '$lib/server/api.ts';
import { applyCookieChange, resolveSession, SESSION_COOKIE, serializeSessionCookie } from '$lib/server/auth.ts';
import { config } from '$lib/server/config.ts';
import { widenCsp } from '$lib/server/csp.ts';
import { isFormSubmission, isProxyPath, isSameOriginRequest, isStreamedUpload, MAX_BUFFERED_BODY, proxyToApi, siteOrigins } from '$lib/server/proxy.ts';
import { seal } from '$lib/server/session.ts';

export const init: ServerInit = () => {
  const cfg = config();
  if (cfg.sessionSecretGenerated) console.warn('SESSION_SECRET is not set: sessions end when this process stops');
};

function clientAddress(event: RequestEvent): string {
  try {
    return event.getClientAddress();
  } catch {
    return '127.0.0.1';
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  const cfg = config();
  const lang = parseLang(event.cookies.get(LANG_COOKIE));
  const address = clientAddress(event);
  const headers = event.request.headers;
  const sameOrigin = isSameOriginRequest(headers, siteOrigins(event.url, headers));
  event.locals.lang = lang;
  event.locals.api = createServerApi(cfg.apiUrl, address, headers.get('user-agent'));
  event.locals.session = null;
  event.locals.user = null;

  // BODY_SIZE_LIMIT is raised so upload parts can pass; everything else keeps the usual small limit.
  const declared = Number(headers.get('content-length') ?? 0);
  if (declared > MAX_BUFFERED_BODY && !isStreamedUpload(event.request.method, event.url.pathname)) {
    return new Response(JSON.stringify({ code: 'payload_too_large', message: 'the body is too large' }), {
      status: 413,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }

  if (isProxyPath(event.url.pathname)) {
    let accessToken: string | null = null;
    const setCookies: string[] = [];
    const cookie = event.cookies.get(SESSION_COOKIE);
    if (cookie && sameOrigin && !headers.has('authorization')) {
      const { session, cookie: change } = await resolveSession(cookie, cfg.sessionKey, event.locals.api);
      accessToken = session?.accessToken ?? null;
      if (change.kind === 'set') setCookies.push(serializeSessionCookie(event.url, seal(change.session, cfg.sessionKey), change.session));
      if (change.kind === 'clear') setCookies.push(serializeSessionCookie(event.url, null, null));
    }
    return proxyToApi(event.request, event.url, { apiUrl: cfg.apiUrl, clientAddress: address, accessToken, sameOrigin, setCookies });
  }

  // Form posts from other sites are refused (SvelteKit's own check is replaced by this one: see svelte.config.js).
  if (isFormSubmission(event.request) && !sameOrigin) {
    return new Response('Cross-site form submissions are forbidden', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  const { session, cookie: change } = await resolveSession(event.cookies.get(SESSION_COOKIE), cfg.sessionKey, event.locals.api);
  applyCookieChange(event.cookies, event.url, change, cfg.sessionKey);
  event.locals.session = session;
  if (session) {
    try {
      event.locals.user = await event.locals.api.call('me', { token: session.accessToken });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        applyCookieChange(event.cookies, event.url, { kind: 'clear' }, cfg.sessionKey);
        event.locals.session = null;
      } else {
        console.error('loading the signed-in user failed:', err instanceof Error ? err.message : err);
      }
    }
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', lang),
  });
  setSecurityHeaders(response.headers, cfg.mediaOrigins);
  return response;
};

function setSecurityHeaders(headers: Headers, mediaOrigins: string[]): void {
  try {
    const csp = headers.get('content-security-policy');
    if (csp && mediaOrigins.length > 0) headers.set('content-security-policy', widenCsp(csp, mediaOrigins));
    headers.set('x-content-type-options', 'nosniff');
    headers.set('referrer-policy', 'same-origin');
    headers.set('x-frame-options', 'DENY');
    headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    // pages carry personal data: keep them out of shared caches
    if (headers.get('content-type')?.startsWith('text/html') && !headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
  } catch {
    // immutable headers (a Response passed through unchanged): leave them
  }
}

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(`${event.request.method} ${event.url.pathname} failed:`, error);
  return { message: status === 404 ? 'Not found' : 'Internal error' };
};
