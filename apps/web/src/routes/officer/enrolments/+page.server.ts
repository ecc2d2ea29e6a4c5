import { error, fail } from '@sveltejs/kit';
import { enrolCommunes } from '$lib/enrol-scope.ts';
import { hasRole } from '$lib/roles.ts';
import { bulkEnrolAction } from '$lib/server/bulk-enrol.ts';
import { formString } from '$lib/server/forms.ts';
import { requireUser } from '$lib/server/guards.ts';
import { getCommunes, getTargetGroups } from '$lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

function requireOfficer(locals: App.Locals, url: URL) {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  return { user, token: locals.session?.accessToken as string };
}

/** Published courses, most taken first: the catalog pages through them (50 a page, a few pages at most). */
async function publishedCourses(api: App.Locals['api']) {
  const items: Array<{ id: string; title: string }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const res = await api.call('catalog', { query: { sort: 'popular', limit: 50, ...(cursor ? { cursor } : {}) } });
    items.push(...res.items.map((c) => ({ id: c.id, title: c.title })));
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return items;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const { user } = requireOfficer(locals, url);
  const [courses, communes, groups] = await Promise.all([publishedCourses(locals.api), getCommunes(locals.api), getTargetGroups(locals.api)]);
  return { courses, communes: enrolCommunes(user, communes.items, false), targetGroups: groups.items };
};

export const actions: Actions = {
  default: async ({ locals, url, request }) => {
    const { token } = requireOfficer(locals, url);
    const data = await request.formData();
    const courseId = formString(data, 'courseId');
    if (!/^[0-9a-f-]{36}$/i.test(courseId)) return fail(400, { bulkError: 'course' });
    return bulkEnrolAction(locals.api, token, courseId, data);
  },
};
