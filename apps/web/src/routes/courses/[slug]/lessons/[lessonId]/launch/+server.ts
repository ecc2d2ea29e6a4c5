import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import type { RequestHandler } from './$types';

/**
 * "Open full screen": a new cmi5 launch (the frame's fetch URL has been used already) and the activity as
 * the whole page, for phones too small for the framed player.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  if (!locals.session) redirect(303, loginUrlFor(url));
  const token = locals.session.accessToken;
  let launchUrl: string;
  try {
    const page = await locals.api.call('coursePage', { params: { slug: params.slug }, token });
    if (!page.enrolment) redirect(303, `/courses/${params.slug}`);
    launchUrl = (await locals.api.call('launchExternal', { params: { id: page.course.id, lessonId: params.lessonId }, body: { origin: url.origin }, token }))
      .launchUrl;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) redirect(303, loginUrlFor(url));
    error(err.status === 403 ? 403 : err.status === 503 ? 503 : 404, err.status === 403 ? 'Forbidden' : 'Not found');
  }
  redirect(303, launchUrl);
};
