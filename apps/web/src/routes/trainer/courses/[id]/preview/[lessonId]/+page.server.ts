import { ApiError } from '@hts/api-client';
import { error } from '@sveltejs/kit';
import { activityFrame } from '$lib/server/activity-frame.ts';
import { requireRole } from '$lib/server/guards.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { token } = requireRole(locals, url, 'trainer');
  try {
    const preview = await locals.api.call('previewLesson', { token, params: { id: params.id, lessonId: params.lessonId } });
    // an external activity plays in the learner's frame, in a preview session of its own (its statements never
    // count as learning); a fresh launch per page view, since its fetch URL works once
    const launch =
      preview.lesson.kind === 'external'
        ? await locals.api.call('previewLaunch', { token, params: { id: params.id, lessonId: params.lessonId }, body: { origin: url.origin } })
        : null;
    return { preview, courseId: params.id, launch: launch && activityFrame(launch.launchUrl, url.origin) };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    throw err;
  }
};
