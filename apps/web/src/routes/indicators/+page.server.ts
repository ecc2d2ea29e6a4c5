import { ApiError } from '@hts/api-client';
import type { PageServerLoad } from './$types';

const currentYear = () => new Date(Date.now() + 7 * 3600_000).getUTCFullYear();

/** The public page: province and commune headline rates, small cells hidden by the API. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const yearParam = Number(url.searchParams.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : currentYear();
  try {
    return { year, report: await locals.api.call('publicIndicators', { query: { year } }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { year, report: null };
    throw err;
  }
};
