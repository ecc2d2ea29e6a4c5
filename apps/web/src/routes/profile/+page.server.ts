import type { CredentialList, MyTitles, NotificationList } from '@hts/contracts';
import { requireUser } from '$lib/server/guards.ts';
import { qrSvg } from '$lib/server/qr.ts';
import type { Actions, PageServerLoad } from './$types';

const noTitles: MyTitles = { awards: [], digitalSkill: null };
const noNotes: NotificationList = { items: [], unread: 0 };
const noCredentials: CredentialList = { credentials: [] };

export const load: PageServerLoad = async ({ locals, url }) => {
  const me = requireUser(locals, url);
  const token = locals.session?.accessToken as string;
  // the profile still shows when these fail
  const [titles, notifications, mine] = await Promise.all([
    locals.api.call('myTitles', { token }).catch((err: unknown) => {
      console.error('profile: loading titles failed:', err instanceof Error ? err.message : err);
      return noTitles;
    }),
    locals.api.call('myNotifications', { token }).catch((err: unknown) => {
      console.error('profile: loading notifications failed:', err instanceof Error ? err.message : err);
      return noNotes;
    }),
    locals.api.call('myCredentials', { token }).catch((err: unknown) => {
      console.error('profile: loading certificates failed:', err instanceof Error ? err.message : err);
      return noCredentials;
    }),
  ]);
  const certificates = await Promise.all(mine.credentials.map(async (c) => ({ credential: c, qr: await qrSvg(c.verifyUrl) })));
  return { me, titles, notifications, certificates };
};

export const actions: Actions = {
  read: async ({ locals }) => {
    if (locals.session) await locals.api.call('markNotificationsRead', { token: locals.session.accessToken, body: {} });
    return { read: true };
  },
};
