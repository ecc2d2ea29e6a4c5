import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import { hasRole } from '$lib/roles.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

/** One registry person (the API checks the officer's scope and audits the read). */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  if (!locals.session) redirect(303, loginUrlFor(url));
  if (!/^[0-9a-f-]{36}$/.test(params.id)) error(404, 'Not found');
  try {
    return { person: await locals.api.call('registryPerson', { token: locals.session.accessToken, params: { id: params.id } }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) error(err.status, err.status === 403 ? 'Forbidden' : 'Not found');
    throw err;
  }
};
