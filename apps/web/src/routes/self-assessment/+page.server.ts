import { ApiError } from '@hts/api-client';
import type { SaveItemsBody, SelfAssessmentView } from '@hts/contracts';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Message } from '$lib/i18n/index.ts';
import { loginUrlFor } from '$lib/next.ts';
import { formString } from '$lib/server/forms.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function yearOf(url: URL): number {
  const now = new Date().getUTCFullYear();
  const y = Number(url.searchParams.get('year'));
  return Number.isInteger(y) && y >= 2022 && y <= now ? y : now;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  requireUser(locals, url);
  const token = locals.session?.accessToken as string;
  const year = yearOf(url);
  try {
    const view = await locals.api.call('openSelfAssessment', { token, body: { year } });
    return { view, noSet: false, year, sent: url.searchParams.has('sent') };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && err.status === 400) return { view: null, noSet: true, year, sent: false };
    console.error('self-assessment: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

/** The declared criteria of the form: points, comment and attachment ids per criterion the citizen can change. */
function itemsFrom(data: FormData, view: SelfAssessmentView): SaveItemsBody {
  const items: SaveItemsBody['items'] = [];
  for (const c of view.groups.flatMap((g) => g.criteria)) {
    const attachmentIds = formString(data, `attachments-${c.id}`)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => UUID.test(s));
    const comment = formString(data, `comment-${c.id}`).trim().slice(0, 2000);
    if (c.prefilled) {
      items.push({ criterionId: c.id, points: c.item?.points ?? c.points, comment: comment || null, attachmentIds });
      continue;
    }
    const raw = formString(data, `points-${c.id}`).trim();
    const points = raw === '' ? 0 : Number(raw);
    items.push({ criterionId: c.id, points: Number.isInteger(points) && points >= 0 ? points : -1, comment: comment || null, attachmentIds });
  }
  return { disadvantagedArea: data.get('disadvantagedArea') === 'on', items };
}

async function save(locals: App.Locals, url: URL, data: FormData): Promise<{ view: SelfAssessmentView } | { failure: Message; status: number }> {
  if (!locals.session) redirect(303, loginUrlFor(url));
  const token = locals.session.accessToken;
  const id = formString(data, 'id');
  const view = await locals.api.call('openSelfAssessment', { token, body: { year: yearOf(url) } });
  if (view.id !== id) return { failure: { key: 'sa.err.conflict' }, status: 409 };
  const body = itemsFrom(data, view);
  const bad = body.items.find((i) => i.points < 0 || i.points > (view.groups.flatMap((g) => g.criteria).find((c) => c.id === i.criterionId)?.points ?? 0));
  if (bad) {
    const max = view.groups.flatMap((g) => g.criteria).find((c) => c.id === bad.criterionId)?.points ?? 0;
    return { failure: { key: 'sa.err.points', params: { id: bad.criterionId, max } }, status: 400 };
  }
  try {
    return { view: await locals.api.call('saveSelfAssessment', { token, params: { id }, body }) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return { failure: { key: 'sa.err.conflict' }, status: 409 };
    if (err instanceof ApiError && err.status < 500) return { failure: { key: 'err.generic' }, status: err.status };
    throw err;
  }
}

export const actions: Actions = {
  save: async ({ locals, url, request }) => {
    const result = await save(locals, url, await request.formData());
    if ('failure' in result) return fail(result.status, { message: result.failure });
    return { saved: true };
  },
  submit: async ({ locals, url, request }) => {
    const result = await save(locals, url, await request.formData());
    if ('failure' in result) return fail(result.status, { message: result.failure });
    try {
      await locals.api.call('submitSelfAssessment', { token: locals.session?.accessToken, params: { id: result.view.id }, body: {} });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return fail(409, { message: { key: 'sa.err.conflict' } as Message });
      throw err;
    }
    redirect(303, `/self-assessment?year=${result.view.year}&sent=1`);
  },
};
