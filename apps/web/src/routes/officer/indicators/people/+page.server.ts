import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import { hasRole } from '$lib/roles.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

/** The people behind one number of one commune (the API checks the scope and audits the read). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  if (!locals.session) redirect(303, loginUrlFor(url));
  const year = Number(url.searchParams.get('year'));
  const indicator = url.searchParams.get('indicator') ?? '';
  const commune = url.searchParams.get('commune') ?? '';
  if (!Number.isInteger(year) || !/^[0-9]{5}$/.test(commune) || !/^[a-z0-9-]+$/.test(indicator)) error(404, 'Not found');
  try {
    return { people: await locals.api.call('indicatorPeople', { token: locals.session.accessToken, query: { year, indicator, commune } }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) error(err.status, err.status === 403 ? 'Forbidden' : 'Not found');
    throw err;
  }
};
