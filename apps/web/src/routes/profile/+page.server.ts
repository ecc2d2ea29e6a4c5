import { requireUser } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({ me: requireUser(locals, url) });
