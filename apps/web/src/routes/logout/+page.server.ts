import { redirect } from '@sveltejs/kit';
import { applyCookieChange } from '$lib/server/auth.ts';
import { config } from '$lib/server/config.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
  return {};
};

export const actions: Actions = {
  default: async ({ locals, cookies, url }) => {
    const session = locals.session;
    if (session) {
      try {
        await locals.api.call('logout', { body: { refreshToken: session.refreshToken }, token: session.accessToken });
      } catch (err) {
        // the cookie goes anyway: on this device the user is signed out
        console.error('logout at the API failed:', err instanceof Error ? err.message : err);
      }
    }
    applyCookieChange(cookies, url, { kind: 'clear' }, config().sessionKey);
    redirect(303, '/');
  },
};
