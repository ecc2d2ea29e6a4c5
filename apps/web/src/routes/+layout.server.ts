import type { LayoutServerLoad } from './$types';

/** The unread count is a courtesy in the header: a failure to read it never breaks a page. */
export const load: LayoutServerLoad = async ({ locals }) => {
  let unread = 0;
  if (locals.session && locals.user) {
    try {
      unread = (await locals.api.call('myNotifications', { token: locals.session.accessToken })).unread;
    } catch (err) {
      console.error('layout: reading notifications failed:', err instanceof Error ? err.message : err);
    }
  }
  return { lang: locals.lang, user: locals.user, unread };
};
