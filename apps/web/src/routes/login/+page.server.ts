import { fail, redirect } from '@sveltejs/kit';
import { normalizeLogin } from '$lib/contact.ts';
import type { Message } from '$lib/i18n/index.ts';
import { safeNext } from '$lib/next.ts';
import { startSession } from '$lib/server/auth.ts';
import { config } from '$lib/server/config.ts';
import { formString, mapApiError } from '$lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

type LoginField = 'login' | 'password';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const login = formString(data, 'login').trim();
    const password = formString(data, 'password');
    const next = safeNext(formString(data, 'next'));
    const values = { login };

    const errors: Partial<Record<LoginField, Message>> = {};
    if (login.length < 3) errors.login = { key: 'err.loginRequired' };
    if (!password) errors.password = { key: 'err.passwordRequired' };
    if (Object.keys(errors).length > 0) return fail(400, { message: { key: 'err.fixBelow' } as Message, errors, values });

    try {
      const pair = await locals.api.call('login', { body: { login: normalizeLogin(login), password } });
      startSession(cookies, url, pair, config().sessionKey);
    } catch (err) {
      const mapped = mapApiError<LoginField>(err, {
        fields: { login: 'login', password: 'password' },
        fieldMessages: { login: 'err.loginRequired', password: 'err.passwordRequired' },
      });
      return fail(mapped.status, { message: mapped.message, errors: mapped.errors, values });
    }
    redirect(303, next);
  },
};
