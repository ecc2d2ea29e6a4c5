import { ApiError } from '@hts/api-client';
import type { CollectiveKindName } from '@hts/contracts';
import { error, fail } from '@sveltejs/kit';
import type { Message } from '$lib/i18n/index.ts';
import { hasRole } from '$lib/roles.ts';
import { formString } from '$lib/server/forms.ts';
import { requireUser } from '$lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

const kinds: CollectiveKindName[] = ['unit', 'household', 'clan', 'community'];

function requireOfficer(locals: App.Locals, url: URL): string {
  const user = requireUser(locals, url);
  if (!hasRole(user, 'officer') && !hasRole(user, 'admin')) error(403, 'Forbidden');
  return locals.session?.accessToken as string;
}

const kindOf = (value: string | null): CollectiveKindName => (value && kinds.includes(value as CollectiveKindName) ? (value as CollectiveKindName) : 'unit');
function yearOf(value: string | null): number {
  const year = Number(value);
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : new Date().getUTCFullYear();
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const token = requireOfficer(locals, url);
  const kind = kindOf(url.searchParams.get('kind'));
  const year = yearOf(url.searchParams.get('year'));
  try {
    const list = await locals.api.call('collectiveList', { token, query: { kind, year } });
    return { kind, kinds, year, items: list.items, today: new Date().toISOString().slice(0, 10) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden');
    throw err;
  }
};

export const actions: Actions = {
  award: async ({ locals, url, request }) => {
    const token = requireOfficer(locals, url);
    const data = await request.formData();
    const kind = kindOf(formString(data, 'kind'));
    const year = yearOf(formString(data, 'year'));
    const collectiveIds = data.getAll('collectiveId').filter((v): v is string => typeof v === 'string');
    const decisionNumber = formString(data, 'decisionNumber').trim();
    const decisionDate = formString(data, 'decisionDate').trim();
    const values = { decisionNumber, decisionDate };
    if (collectiveIds.length === 0 || !decisionNumber || !/^\d{4}-\d{2}-\d{2}$/.test(decisionDate))
      return fail(400, { message: { key: 'collective.err.decision' } as Message, values });
    try {
      const result = await locals.api.call('collectiveAward', { token, body: { kind, year, collectiveIds, decisionNumber, decisionDate } });
      return { awarded: result.awards.length };
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return fail(403, { message: { key: 'collective.err.scope' } as Message, values });
      if (err instanceof ApiError && err.status === 409) {
        // the API names the refused collectives by their position in the batch
        const refused = (err.body.details ?? []).flatMap((d) => {
          const id = collectiveIds[Number(/\/body\/collectiveIds\/(\d+)$/.exec(d.field)?.[1])];
          const name = id ? formString(data, `name-${id}`) : '';
          return name ? [name] : [];
        });
        return fail(409, { message: { key: 'collective.err.conflict', params: { detail: refused.join(', ') || '—' } } as Message, values });
      }
      if (err instanceof ApiError && err.status === 400) return fail(400, { message: { key: 'collective.err.decision' } as Message, values });
      throw err;
    }
  },
  revoke: async ({ locals, url, request }) => {
    const token = requireOfficer(locals, url);
    const data = await request.formData();
    const awardId = formString(data, 'awardId');
    const name = formString(data, 'name');
    const reason = formString(data, 'reason').trim();
    const decisionNumber = formString(data, 'decisionNumber').trim();
    const decisionDate = formString(data, 'decisionDate').trim();
    if (!awardId || reason.length < 3 || !decisionNumber) return fail(400, { message: { key: 'revoke.err.input' } as Message, revokeId: awardId });
    try {
      await locals.api.call('collectiveAwardRevoke', {
        token,
        params: { id: awardId },
        body: { reason, decisionNumber, ...(/^\d{4}-\d{2}-\d{2}$/.test(decisionDate) ? { decisionDate } : {}) },
      });
      return { revoked: name };
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return fail(403, { message: { key: 'revoke.err.scope' } as Message, revokeId: awardId });
      if (err instanceof ApiError && err.status === 409) return fail(409, { message: { key: 'revoke.err.conflict' } as Message, revokeId: awardId });
      if (err instanceof ApiError && err.status === 400) return fail(400, { message: { key: 'revoke.err.input' } as Message, revokeId: awardId });
      throw err;
    }
  },
};
