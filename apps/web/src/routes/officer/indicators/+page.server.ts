import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import { hasRole } from '$lib/roles.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

const currentYear = () => new Date(Date.now() + 7 * 3600_000).getUTCFullYear();

/** The officer's dashboard: the province (province scope) or their commune; ?commune= narrows, ?year= picks the year. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  if (!locals.session) redirect(303, loginUrlFor(url));
  const yearParam = Number(url.searchParams.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : currentYear();
  const commune = url.searchParams.get('commune') ?? undefined;
  if (commune !== undefined && !/^[0-9]{5}$/.test(commune)) error(404, 'Not found');
  try {
    const report = await locals.api.call('indicators', { token: locals.session.accessToken, query: { year, commune } });
    return { report, year, commune: commune ?? null, noDefinitions: null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    if (err instanceof ApiError && err.status === 404 && !commune) return { report: null, year, commune: null, noDefinitions: err.message };
    if (err instanceof ApiError && err.status === 404) error(404, 'Not found');
    throw err;
  }
};

export const actions: Actions = {
  /** Queues the yearly report and goes to its progress page. */
  export: async ({ locals, url, request }) => {
    const user = requireUser(locals, url);
    if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
    if (!locals.session) redirect(303, loginUrlFor(url));
    const form = await request.formData();
    const year = Number(form.get('year'));
    const format = form.get('format') === 'csv' ? 'csv' : 'xlsx';
    const communeValue = form.get('commune');
    const commune = typeof communeValue === 'string' && /^[0-9]{5}$/.test(communeValue) ? communeValue : undefined;
    let id: string;
    try {
      id = (await locals.api.call('requestIndicatorExport', { token: locals.session.accessToken, body: { year, format, commune } })).id;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) error(err.status, err.status === 403 ? 'Forbidden' : 'Not found');
      throw err;
    }
    redirect(303, `/officer/indicators/exports/${id}`);
  },
};
