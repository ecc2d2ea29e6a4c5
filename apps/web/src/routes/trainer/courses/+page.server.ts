import { ApiError } from '@hts/api-client';
import { error, fail, redirect } from '@sveltejs/kit';
import { formString } from '$lib/server/forms.ts';
import { requireRole } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const { token } = requireRole(locals, url, 'trainer');
  try {
    return { courses: (await locals.api.call('trainerCourses', { token })).items };
  } catch (err) {
    console.error('trainer courses: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    const { token } = requireRole(locals, url, 'trainer');
    const data = await request.formData();
    const values = { slug: formString(data, 'slug').trim(), title: formString(data, 'title').trim() };
    let id: string;
    try {
      id = (await locals.api.call('createCourse', { token, body: values })).course.id;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return fail(409, { values, error: 'slugTaken' as const, message: '' });
      if (err instanceof ApiError && err.status === 400)
        return fail(400, { values, error: 'invalid' as const, message: err.body.details?.[0]?.field ?? err.message });
      throw err;
    }
    redirect(303, `/trainer/courses/${id}`);
  },
};
