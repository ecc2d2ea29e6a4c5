import { ApiError } from '@hts/api-client';
import type { CollectiveKindName } from '@hts/contracts';
import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

const kinds: CollectiveKindName[] = ['unit', 'household', 'clan', 'community'];

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  const token = locals.session?.accessToken as string;
  const kindParam = url.searchParams.get('kind') as CollectiveKindName | null;
  const kind = kindParam && kinds.includes(kindParam) ? kindParam : 'unit';
  const yearParam = Number(url.searchParams.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : new Date().getUTCFullYear();
  try {
    const list = await locals.api.call('collectiveList', { token, query: { kind, year } });
    return { kind, kinds, year, items: list.items };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    throw err;
  }
};
