import { type ApiClient, createApiClient } from '@hts/api-client';

/**
 * The API client for one browser request. The API rate-limits and audits per address, so it is told the
 * browser's address and user agent; the API must trust X-Forwarded-For from this server only.
 */
export function createServerApi(apiUrl: string, clientAddress: string, userAgent: string | null, fetchImpl: typeof fetch = fetch): ApiClient {
  const headers: Record<string, string> = { 'x-forwarded-for': clientAddress };
  if (userAgent) headers['user-agent'] = userAgent;
  return createApiClient({ baseUrl: apiUrl, fetch: fetchImpl, headers });
}
