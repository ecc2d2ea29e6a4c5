import { type ErrorBody, type RouteName, type Routes, routes } from '@hts/contracts';
import type { Static, TSchema } from 'typebox';

type SchemaOf<R, K extends string> = R extends Record<K, infer S extends TSchema> ? Static<S> : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;
type SuccessOf<R> = R extends { response: infer Res }
  ? { [S in keyof Res]: S extends SuccessStatus ? (Res[S] extends TSchema ? Static<Res[S]> : never) : never }[keyof Res]
  : never;

export type CallInput<N extends RouteName> = {
  params?: SchemaOf<Routes[N], 'params'>;
  query?: SchemaOf<Routes[N], 'querystring'>;
  body?: SchemaOf<Routes[N], 'body'>;
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};
export type CallOutput<N extends RouteName> = SuccessOf<Routes[N]>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Headers,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.body.code;
  }
  /** The message of the first detail about a field, for forms that show errors next to inputs. */
  fieldError(field: string): string | undefined {
    return this.body.details?.find((d) => d.field === field || d.field.endsWith(`/${field}`))?.message;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Headers sent on every call, e.g. X-Forwarded-For from the web server. */
  headers?: Record<string, string>;
}

export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null) throw new Error(`missing path parameter "${key}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}

function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/$/, '');

  async function call<N extends RouteName>(name: N, input: CallInput<N> = {}): Promise<CallOutput<N>> {
    const route = routes[name];
    const url = base + buildPath(route.path, input.params as Record<string, unknown>) + buildQuery(input.query as Record<string, unknown>);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...input.headers };
    if (input.token) headers.authorization = `Bearer ${input.token}`;
    let body: string | undefined;
    if (input.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body);
    }
    const res = await doFetch(url, { method: route.method, headers, body, signal: input.signal });
    if (res.status === 204) return null as CallOutput<N>;
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : null;
    if (!res.ok) {
      const errBody = isErrorBody(parsed) ? parsed : { code: 'http_error', message: `HTTP ${res.status}` };
      throw new ApiError(res.status, errBody, res.headers);
    }
    return parsed as CallOutput<N>;
  }

  return { call };
}

export type ApiClient = ReturnType<typeof createApiClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).code === 'string' && typeof (value as ErrorBody).message === 'string';
}
