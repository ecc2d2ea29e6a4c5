import { type ApiClient, ApiError } from '@hts/api-client';
import type { BulkEnrolResult } from '@hts/contracts';
import { fail } from '@sveltejs/kit';
import { bulkEnrolInput } from '../enrol-scope.ts';
import { formString } from './forms.ts';

export interface BulkEnrolForm {
  by: 'contacts' | 'commune';
  contacts: string;
  communeCode: string;
  targetGroupCode: string;
  courseId: string;
}

/**
 * The bulk enrolment action shared by the trainer's course page and the officer's page: "preview" asks the
 * API for a dry run (nobody enrolled), "confirm" enrols. The form's values come back so the confirm step
 * posts exactly what was previewed.
 */
export async function bulkEnrolAction(api: ApiClient, token: string, courseId: string, data: FormData) {
  const values: BulkEnrolForm = {
    by: formString(data, 'by') === 'commune' ? 'commune' : 'contacts',
    contacts: formString(data, 'contacts').slice(0, 100_000),
    communeCode: formString(data, 'communeCode'),
    targetGroupCode: formString(data, 'targetGroupCode'),
    courseId,
  };
  const dryRun = formString(data, 'intent') !== 'confirm';
  const input = bulkEnrolInput(values);
  if ('error' in input) return fail(400, { bulkError: input.error, values });
  try {
    const result: BulkEnrolResult = await api.call('bulkEnrol', { token, params: { id: courseId }, body: { ...input, dryRun } });
    return { bulk: result, values };
  } catch (err) {
    if (err instanceof ApiError && [400, 403, 404].includes(err.status)) {
      const field = err.body.details?.[0]?.field ?? '';
      const bulkError =
        err.status === 403 ? 'scope' : field.endsWith('communeCode') ? 'communeCode' : field.endsWith('targetGroupCode') ? 'targetGroupCode' : 'course';
      return fail(err.status, { bulkError, values });
    }
    throw err;
  }
}
