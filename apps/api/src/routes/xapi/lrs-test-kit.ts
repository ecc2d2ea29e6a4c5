import { randomUUID } from 'node:crypto';
import { createLrsClient } from '@hts/domain';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** Test helpers for the LRS: a client with given scopes, and requests with the xAPI headers set. */
export async function lrsClient(app: FastifyInstance, scopes: string[] = ['all']) {
  const { key, secret } = await createLrsClient(app.services.db, { name: `test ${scopes.join(' ')}`, scopes });
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  const request = (options: InjectOptions & { version?: string | null }) => {
    const { version = '1.0.3', headers = {}, ...rest } = options;
    return app.inject({
      ...rest,
      headers: { authorization, ...(version === null ? {} : { 'x-experience-api-version': version }), ...headers },
    } as InjectOptions);
  };
  return {
    key,
    secret,
    authorization,
    request,
    post: (payload: unknown, headers: Record<string, string> = {}) =>
      request({ method: 'POST', url: '/xapi/statements', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } }),
    get: (query: Record<string, string>) => request({ method: 'GET', url: `/xapi/statements?${new URLSearchParams(query)}` }),
  };
}

export const ACTIVITY = 'https://hoc.bacninh.vn/xapi/activities/course/ky-nang-so-co-ban';

export function statement(over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: 'Nguyễn Thị Lan', mbox: 'mailto:lan@example.vn' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'vi-VN': 'đã hoàn thành', 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: ACTIVITY, definition: { name: { 'vi-VN': 'Kỹ năng số cơ bản' } } },
    ...over,
  };
}
