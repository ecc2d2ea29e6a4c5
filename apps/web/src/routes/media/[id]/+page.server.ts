import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, params }) => {
  requireUser(locals, url);
  return { assetId: params.id };
};
