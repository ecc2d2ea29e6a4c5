import { ApiError } from '@hts/api-client';
import type { Message, MessageKey } from '../i18n/index.ts';

/** What a failed form action hands back to its page: messages are keys, translated there. */
export interface FormFailure<F extends string> {
  message: Message;
  errors: Partial<Record<F, Message>>;
  values: Record<string, string>;
}

export function formString(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** Minutes to wait from a Retry-After header (seconds or an HTTP date), at least 1. */
export function retryAfterMinutes(header: string | null, now: number = Date.now()): number {
  if (!header) return 1;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return 1;
  return Math.max(1, Math.ceil(seconds / 60));
}

export interface ApiErrorMapping<F extends string> {
  /** the API field name (last part of `/body/email`) -> the form field that shows its error */
  fields: Record<string, F>;
  /** the message shown next to a form field when the API rejects it */
  fieldMessages: Record<F, MessageKey>;
  /** messages for 409 conflicts, by API field */
  conflicts?: Record<string, MessageKey>;
}

/** Turn an API failure into a status and messages a page can show. Unknown failures get a generic message. */
export function mapApiError<F extends string>(
  err: unknown,
  mapping: ApiErrorMapping<F>,
): { status: number; message: Message; errors: Partial<Record<F, Message>> } {
  if (!(err instanceof ApiError)) {
    console.error('API call failed:', err instanceof Error ? err.message : err);
    return { status: 503, message: { key: 'err.apiUnavailable' }, errors: {} };
  }
  const errors: Partial<Record<F, Message>> = {};
  const fieldOf = (path: string) => path.split('/').filter(Boolean).pop() ?? '';
  if (err.status === 429) {
    return { status: 429, message: { key: 'err.rateLimited', params: { minutes: retryAfterMinutes(err.headers.get('retry-after')) } }, errors };
  }
  if (err.code === 'invalid_credentials') return { status: 401, message: { key: 'err.invalidCredentials' }, errors };
  if (err.status === 409) {
    let message: Message = { key: 'err.contactTaken' };
    for (const detail of err.body.details ?? []) {
      const apiField = fieldOf(detail.field);
      const formField = mapping.fields[apiField];
      const key = mapping.conflicts?.[apiField];
      if (formField && key) {
        errors[formField] = { key };
        message = { key: 'err.fixBelow' };
      }
    }
    return { status: 409, message, errors };
  }
  if (err.status === 400 || err.status === 404) {
    for (const detail of err.body.details ?? []) {
      const formField = mapping.fields[fieldOf(detail.field)];
      if (formField && !errors[formField]) errors[formField] = { key: mapping.fieldMessages[formField] };
    }
    if (Object.keys(errors).length > 0) return { status: 400, message: { key: 'err.fixBelow' }, errors };
    return { status: err.status, message: { key: 'err.generic' }, errors };
  }
  if (err.status >= 500) return { status: 503, message: { key: 'err.apiUnavailable' }, errors };
  return { status: err.status, message: { key: 'err.generic' }, errors };
}
