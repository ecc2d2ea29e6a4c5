import { ApiError } from '@hts/api-client';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Message } from '$lib/i18n/index.ts';
import { loginUrlFor } from '$lib/next.ts';
import { hasRole } from '$lib/roles.ts';
import { formString } from '$lib/server/forms.ts';
import { requireReviewer } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

type Tab = 'submitted' | 'confirmed' | 'approved';
const tabs: readonly Tab[] = ['submitted', 'confirmed', 'approved'];

export const load: PageServerLoad = async ({ locals, url }) => {
  const { user, token } = requireReviewer(locals, url);
  const asked = url.searchParams.get('tab') as Tab | null;
  const tab: Tab = asked && tabs.includes(asked) ? asked : hasRole(user, 'officer') && !hasRole(user, 'branch') ? 'confirmed' : 'submitted';
  try {
    const queue = await locals.api.call('reviewQueue', { token, query: { status: tab } });
    return { tab, items: queue.items, canApprove: hasRole(user, 'officer') || hasRole(user, 'admin'), today: new Date().toISOString().slice(0, 10) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    console.error('reviews: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

export const actions: Actions = {
  approve: async ({ locals, url, request }) => {
    const { token } = requireReviewer(locals, url);
    const data = await request.formData();
    const assessmentIds = data.getAll('assessmentId').filter((v): v is string => typeof v === 'string');
    const decisionNumber = formString(data, 'decisionNumber').trim();
    const decisionDate = formString(data, 'decisionDate').trim();
    const values = { decisionNumber, decisionDate };
    if (assessmentIds.length === 0 || !decisionNumber || !/^\d{4}-\d{2}-\d{2}$/.test(decisionDate))
      return fail(400, { message: { key: 'rv.err.decision' } as Message, values });
    try {
      const result = await locals.api.call('approveAssessments', { token, body: { assessmentIds, decisionNumber, decisionDate } });
      return { approved: result.awards.length };
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return fail(403, { message: { key: 'rv.err.scope' } as Message, values });
      if (err instanceof ApiError && err.status === 409) return fail(409, { message: { key: 'rv.err.conflict' } as Message, values });
      if (err instanceof ApiError && err.status === 400) return fail(400, { message: { key: 'rv.err.decision' } as Message, values });
      throw err;
    }
  },
};
