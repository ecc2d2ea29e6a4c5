import { type Static, Type } from 'typebox';

/** Every error the API returns carries one of these codes; the status follows from the code. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  token_invalid: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const ErrorDetail = Type.Object({
  field: Type.String({ description: 'JSON pointer-like path of the field at fault, e.g. /body/email' }),
  message: Type.String(),
  file: Type.Optional(Type.String({ description: 'for an uploaded package: the file at fault, inside the package' })),
  line: Type.Optional(Type.Integer({ minimum: 1, description: 'for an uploaded package: the line in that file' })),
});
export type ErrorDetail = Static<typeof ErrorDetail>;

export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(ErrorDetail)),
  },
  { description: 'every error: a stable code, a message for developers, and the fields at fault' },
);
export type ErrorBody = Static<typeof ErrorBody>;
