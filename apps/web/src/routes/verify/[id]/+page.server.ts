import { ApiError } from '@hts/api-client';
import { error } from '@sveltejs/kit';
import { qrSvg } from '$lib/server/qr.ts';
import { verifyWithApi } from '$lib/server/verify.ts';
import type { PageServerLoad } from './$types';

/** The page a QR code or a share link opens: no account; the credential is verified on every view. */
export const load: PageServerLoad = async ({ locals, params }) => {
  try {
    const [summary, document] = await Promise.all([
      locals.api.call('credentialSummary', { params: { id: params.id } }),
      locals.api.call('credentialDocument', { params: { id: params.id } }),
    ]);
    const report = await verifyWithApi(locals.api, document as Record<string, unknown>);
    return { summary, report, qr: await qrSvg(summary.verifyUrl) };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Not found');
    console.error('verify page: loading failed:', err instanceof Error ? err.message : err);
    error(503, 'Unavailable');
  }
};
