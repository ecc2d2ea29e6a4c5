import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import type { RequestHandler } from './$types';

/**
 * "Open full screen" in a trainer's preview: a new preview launch (the frame's fetch URL has been used
 * already) and the activity as the whole page, as a learner's phone would show it.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  if (!locals.session) redirect(303, loginUrlFor(url));
  let launchUrl: string;
  try {
    launchUrl = (
      await locals.api.call('previewLaunch', {
        params: { id: params.id, lessonId: params.lessonId },
        body: { origin: url.origin },
        token: locals.session.accessToken,
      })
    ).launchUrl;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) redirect(303, loginUrlFor(url));
    error(err.status === 403 ? 403 : err.status === 503 ? 503 : 404, err.status === 403 ? 'Forbidden' : 'Not found');
  }
  redirect(303, launchUrl);
};
