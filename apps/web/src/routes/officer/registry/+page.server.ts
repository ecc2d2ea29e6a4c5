import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  return {};
};
