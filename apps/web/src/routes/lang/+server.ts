import { redirect } from '@sveltejs/kit';
import { LANG_COOKIE, parseLang } from '$lib/i18n/index.ts';
import { safeNext } from '$lib/next.ts';
import type { RequestHandler } from './$types';

/** `/lang?to=en&next=/profile`: remember the language for a year and go back. Works without JavaScript. */
export const GET: RequestHandler = ({ url, cookies }) => {
  const lang = parseLang(url.searchParams.get('to'));
  cookies.set(LANG_COOKIE, lang, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: 365 * 24 * 3600,
  });
  redirect(303, safeNext(url.searchParams.get('next')));
};
