import { ApiError } from '@hts/api-client';
import { error, fail, redirect } from '@sveltejs/kit';
import { loginUrlFor } from '$lib/next.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  try {
    const page = await locals.api.call('coursePage', { params: { slug: params.slug }, token: locals.session?.accessToken });
    return { page };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    console.error('course page: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

export const actions: Actions = {
  enrol: async ({ locals, params, url }) => {
    if (!locals.session) redirect(303, loginUrlFor(url));
    const page = await locals.api.call('coursePage', { params: { slug: params.slug }, token: locals.session.accessToken });
    await locals.api.call('enrol', { params: { id: page.course.id }, body: {}, token: locals.session.accessToken });
    const first = page.modules[0]?.lessons[0]?.id;
    redirect(303, first ? `/courses/${params.slug}/lessons/${first}` : `/courses/${params.slug}`);
  },
  moveVersion: async ({ locals, params, url }) => {
    if (!locals.session) redirect(303, loginUrlFor(url));
    const token = locals.session.accessToken;
    const page = await locals.api.call('coursePage', { params: { slug: params.slug }, token });
    try {
      const moved = await locals.api.call('moveToNewestVersion', { params: { id: page.course.id }, body: {}, token });
      return { moved: { version: moved.versionNumber, kept: moved.keptLessons.length, reset: moved.resetLessons.length } };
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return fail(409, { moveRefused: true });
      throw err;
    }
  },
};
