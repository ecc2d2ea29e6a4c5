import { ApiError } from '@hts/api-client';
import { describe, expect, it, vi } from 'vitest';
import { mapApiError, retryAfterMinutes } from './forms.ts';

type F = 'contact' | 'password';
const mapping = {
  fields: { email: 'contact', phone: 'contact', password: 'password' } as Record<string, F>,
  fieldMessages: { contact: 'err.email', password: 'err.password' } as const,
  conflicts: { email: 'err.emailTaken', phone: 'err.phoneTaken' } as const,
};
const apiError = (status: number, body: object, headers: Record<string, string> = {}) => new ApiError(status, body as never, new Headers(headers));

describe('API errors on forms', () => {
  it('puts validation details next to the fields, in our words', () => {
    const err = apiError(400, {
      code: 'validation_failed',
      message: 'x',
      details: [{ field: '/body/password', message: 'must NOT have fewer than 8 characters' }],
    });
    expect(mapApiError(err, mapping)).toEqual({ status: 400, message: { key: 'err.fixBelow' }, errors: { password: { key: 'err.password' } } });
  });

  it('tells a taken phone number from a taken e-mail', () => {
    const err = apiError(409, { code: 'conflict', message: 'x', details: [{ field: '/body/phone', message: 'taken' }] });
    expect(mapApiError(err, mapping).errors).toEqual({ contact: { key: 'err.phoneTaken' } });
  });

  it('shows wrong credentials as such', () => {
    expect(mapApiError(apiError(401, { code: 'invalid_credentials', message: 'x' }), mapping).message).toEqual({ key: 'err.invalidCredentials' });
  });

  it('turns Retry-After into minutes to wait', () => {
    const err = apiError(429, { code: 'rate_limited', message: 'x' }, { 'retry-after': '125' });
    expect(mapApiError(err, mapping)).toMatchObject({ status: 429, message: { key: 'err.rateLimited', params: { minutes: 3 } } });
    expect(retryAfterMinutes(null)).toBe(1);
    expect(retryAfterMinutes('0')).toBe(1);
    expect(retryAfterMinutes(new Date(Date.UTC(2030, 0, 1, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10);
  });

  it('says the system is busy when the API cannot be reached or fails', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(mapApiError(new TypeError('fetch failed'), mapping)).toMatchObject({ status: 503, message: { key: 'err.apiUnavailable' } });
    expect(mapApiError(apiError(500, { code: 'internal', message: 'x' }), mapping)).toMatchObject({ status: 503 });
  });
});
