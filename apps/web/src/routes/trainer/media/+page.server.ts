import { requireRole } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const { token } = requireRole(locals, url, 'trainer');
  const list = await locals.api.call('mediaList', { token });
  return { items: list.items };
};
