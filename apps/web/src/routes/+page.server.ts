import type { PageServerLoad } from './$types';

/** "Học tiếp": the signed-in learner's courses, most recent first. The home page still works if this fails. */
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.session) return { learning: [] };
  try {
    return { learning: (await locals.api.call('myLearning', { token: locals.session.accessToken })).items };
  } catch (err) {
    console.error('home: loading my courses failed:', err instanceof Error ? err.message : err);
    return { learning: [] };
  }
};
