import { type ApiClient, ApiError } from '@hts/api-client';
import type { VerificationReport } from '@hts/contracts';

/** The API answers 422 with the same report when a check fails: both are a result to show, not an error. */
export async function verifyWithApi(api: ApiClient, credential: string | Record<string, unknown>): Promise<VerificationReport | null> {
  try {
    return await api.call('verifyCredential', { body: { credential } });
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) return err.body as unknown as VerificationReport;
    if (err instanceof ApiError && err.status === 400) return null;
    throw err;
  }
}
