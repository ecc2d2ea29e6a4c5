import { ApiError } from '@hts/api-client';
import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { token } = requireRole(locals, url, 'trainer');
  try {
    return { preview: await locals.api.call('previewLesson', { token, params: { id: params.id, lessonId: params.lessonId } }), courseId: params.id };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    throw err;
  }
};
