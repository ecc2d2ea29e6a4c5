import { fail } from '@sveltejs/kit';
import { verifyWithApi } from '$lib/server/verify.ts';
import type { Actions } from './$types';

const MAX_FILE = 100_000;

/** A stranger pastes the JWT or JSON, or picks the downloaded file: the API says what it checked. */
export const actions: Actions = {
  default: async ({ locals, request }) => {
    const form = await request.formData();
    let text = String(form.get('credential') ?? '').trim();
    const file = form.get('file');
    if (!text && file instanceof File && file.size > 0) {
      if (file.size > MAX_FILE) return fail(413, { missing: false, tooLarge: true, report: null, text: '' });
      text = (await file.text()).trim();
    }
    if (!text) return fail(400, { missing: true, tooLarge: false, report: null, text: '' });
    const report = await verifyWithApi(locals.api, text.slice(0, MAX_FILE));
    return { missing: false, tooLarge: false, report, text: text.slice(0, 2000) };
  },
};
