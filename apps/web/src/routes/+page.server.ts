import type { PageServerLoad } from './$types';

/** "Học tiếp": the signed-in learner's courses, most recent first, and courses suggested to them. The home page still works if these fail. */
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.session) return { learning: [], recommended: [] };
  const token = locals.session.accessToken;
  const [learning, recommended] = await Promise.all([
    locals.api.call('myLearning', { token }).then(
      (r) => r.items,
      (err) => {
        console.error('home: loading my courses failed:', err instanceof Error ? err.message : err);
        return [];
      },
    ),
    locals.api.call('recommendations', { token, query: { limit: 3 } }).then(
      (r) => r.items,
      (err) => {
        console.error('home: loading suggestions failed:', err instanceof Error ? err.message : err);
        return [];
      },
    ),
  ]);
  return { learning, recommended };
};
