import type { ErrorCode, ErrorDetail } from '@hts/contracts';

/** The one error type of the system: a code (which fixes the HTTP status) and, for bad input, the fields at fault. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds a client should wait, for rate_limited. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fieldError = (code: ErrorCode, field: string, message: string) => new DomainError(code, message, [{ field, message }]);
