import { type ErrorBody, type ErrorDetail, errorStatus } from '@hts/contracts';
import { DomainError } from '@hts/domain';
import { isStorageError } from '@hts/storage';
import type { FastifyError, FastifyInstance } from 'fastify';

type ValidationIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

function validationDetails(error: FastifyError): ErrorDetail[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return ((error.validation ?? []) as ValidationIssue[]).map((issue) => {
    const missing = issue.params?.missingProperty;
    const extra = issue.params?.additionalProperty;
    const path = `/${context}${issue.instancePath ?? ''}${missing ? `/${missing}` : extra ? `/${extra}` : ''}`;
    return { field: path, message: issue.message ?? 'is not valid' };
  });
}

const storageCodes = { not_found: 'not_found', invalid_key: 'bad_request', invalid_argument: 'bad_request', unavailable: 'unavailable' } as const;

/** Framework errors that are the client's fault, by Fastify's code. */
const clientErrors: Record<string, { code: keyof typeof errorStatus; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'bad_request', message: 'the body is empty but the content type says JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', message: 'the content length does not match the body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'the body is too large' },
};

/** One place turns every error into `{ code, message, details? }`; 5xx details stay in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let body: ErrorBody;
    if (error instanceof DomainError) {
      status = errorStatus[error.code];
      body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
    } else if (isStorageError(error)) {
      const code = storageCodes[error.code];
      status = errorStatus[code];
      body = { code, message: status >= 500 ? 'the object store is not available right now' : error.message };
    } else if (error.validation) {
      status = 400;
      body = { code: 'validation_failed', message: 'some fields are not valid', details: validationDetails(error) };
    } else if (error.code && clientErrors[error.code]) {
      const known = clientErrors[error.code] as { code: keyof typeof errorStatus; message: string };
      status = errorStatus[known.code];
      body = { code: known.code, message: known.message };
    } else if (error.statusCode === 429) {
      status = 429;
      body = { code: 'rate_limited', message: error.message || 'too many requests; try again later' };
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      body = {
        code: status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request',
        message: error.message,
      };
    } else {
      status = error.statusCode === 503 ? 503 : 500;
      body =
        status === 503
          ? { code: 'unavailable', message: 'the service is not available right now' }
          : { code: 'internal', message: 'something went wrong on our side' };
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } satisfies ErrorBody);
  });
}
