import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  requireUser(locals, url);
  const token = locals.session?.accessToken as string;
  const list = await locals.api.call('myCollectives', { token });
  return { items: list.items };
};
