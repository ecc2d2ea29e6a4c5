import { ApiError } from '@hts/api-client';
import { error, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opens a self-assessment attachment: the API checks who may see it and hands back a short-lived signed link. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  if (!locals.session) redirect(303, loginUrlFor(url));
  if (!UUID.test(params.id)) error(404, 'Not found');
  let link: { url: string };
  try {
    link = await locals.api.call('assessmentAttachmentLink', { token: locals.session.accessToken, params: { id: params.id } });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, 'Not found');
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    throw err;
  }
  redirect(303, link.url);
};
