import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

/** Progress of a report export; the page reloads itself until the file is ready. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireUser(locals, url);
  if (!locals.session) redirect(303, loginUrlFor(url));
  if (!/^[0-9a-f-]{36}$/.test(params.id)) error(404, 'Not found');
  try {
    return { state: await locals.api.call('indicatorExport', { token: locals.session.accessToken, params: { id: params.id } }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) error(err.status, err.status === 403 ? 'Forbidden' : 'Not found');
    throw err;
  }
};
