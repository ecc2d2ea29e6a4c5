import { ApiError } from '@hts/api-client';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Message } from '$lib/i18n/index.ts';
import { loginUrlFor } from '$lib/next.ts';
import { hasRole } from '$lib/roles.ts';
import { formString } from '$lib/server/forms.ts';
import { requireReviewer } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { user, token } = requireReviewer(locals, url);
  try {
    const view = await locals.api.call('reviewAssessment', { token, params: { id: params.id } });
    return {
      view,
      isBranch: hasRole(user, 'branch') || hasRole(user, 'admin'),
      isOfficer: hasRole(user, 'officer') || hasRole(user, 'admin'),
      today: new Date().toISOString().slice(0, 10),
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, loginUrlFor(url));
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    console.error('review: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};

function failure(err: unknown) {
  if (err instanceof ApiError && err.status === 403) return fail(403, { message: { key: 'rv.err.scope' } as Message });
  if (err instanceof ApiError && err.status === 409) return fail(409, { message: { key: 'rv.err.conflict' } as Message });
  if (err instanceof ApiError && err.status === 400) return fail(400, { message: { key: 'rv.err.comment' } as Message });
  throw err;
}

export const actions: Actions = {
  confirm: async ({ locals, url, params, request }) => {
    const { token } = requireReviewer(locals, url);
    const data = await request.formData();
    const comment = formString(data, 'comment').trim();
    // criteria the branch ticked as attested, each with its optional note
    const attestations = data
      .getAll('attest')
      .filter((v): v is string => typeof v === 'string')
      .map((criterionId) => {
        const note = formString(data, `attest-comment-${criterionId}`).trim();
        return note ? { criterionId, comment: note } : { criterionId };
      });
    try {
      await locals.api.call('confirmAssessment', {
        token,
        params: { id: params.id },
        body: { ...(comment ? { comment } : {}), ...(attestations.length > 0 ? { attestations } : {}) },
      });
    } catch (err) {
      return failure(err);
    }
    return { done: 'rv.confirmed' as const };
  },
  return: async ({ locals, url, params, request }) => {
    const { token } = requireReviewer(locals, url);
    const comment = formString(await request.formData(), 'comment').trim();
    if (comment.length < 3) return fail(400, { message: { key: 'rv.err.comment' } as Message });
    try {
      await locals.api.call('returnAssessment', { token, params: { id: params.id }, body: { comment } });
    } catch (err) {
      return failure(err);
    }
    return { done: 'rv.returned' as const };
  },
  revoke: async ({ locals, url, request }) => {
    const { token } = requireReviewer(locals, url);
    const data = await request.formData();
    const awardId = formString(data, 'awardId');
    const reason = formString(data, 'reason').trim();
    const decisionNumber = formString(data, 'decisionNumber').trim();
    const decisionDate = formString(data, 'decisionDate').trim();
    if (!awardId || reason.length < 3 || !decisionNumber) return fail(400, { message: { key: 'revoke.err.input' } as Message });
    try {
      await locals.api.call('revokeTitle', {
        token,
        params: { id: awardId },
        body: { reason, decisionNumber, ...(/^\d{4}-\d{2}-\d{2}$/.test(decisionDate) ? { decisionDate } : {}) },
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return fail(403, { message: { key: 'revoke.err.scope' } as Message });
      if (err instanceof ApiError && err.status === 409) return fail(409, { message: { key: 'revoke.err.conflict' } as Message });
      if (err instanceof ApiError && err.status === 400) return fail(400, { message: { key: 'revoke.err.input' } as Message });
      throw err;
    }
    return { done: 'revoke.done' as const };
  },
};
