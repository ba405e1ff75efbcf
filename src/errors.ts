import { ZodError } from 'zod';

// The closed set of error codes the portal answers with. Each maps to one HTTP status and a
// translated, user-safe title (locale key errors.<code>.title); internal details go to the log only.
export const errorCodes = {
  validation_failed: 400,
  malformed_request: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_transition: 409,
  no_identity: 409,
  keys_missing: 403,
  custody_not_approved: 403,
  link_expired: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  // Report attachments: each refusal has its own code, so forms can say what to change.
  attachment_too_large: 413,
  attachment_quota_exceeded: 413,
  attachment_type_unknown: 415,
  attachment_type_dangerous: 415,
  attachment_type_mismatch: 415,
  attachment_unreadable: 422,
  // A case whose files pass the 4 GiB a ZIP holds without ZIP64 (possible only with a raised REPORT_ATTACHMENTS_MAX_BYTES).
  export_too_large: 422,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  /** Name of the field (dot path for nested JSON), as sent by the client. */
  field: string;
  /** Locale key of the message, translated when presented. */
  messageKey: string;
  values?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    options: { message?: string; fields?: FieldError[]; cause?: unknown } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.status = errorCodes[code];
    this.fields = options.fields ?? [];
  }
  readonly fields: FieldError[];
}

/** Maps errors raised by Fastify and its plugins (by their code) onto ours. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'malformed_request',
  FST_ERR_ASYNC_CONSTRAINT: 'malformed_request',
  FST_CSRF_INVALID_TOKEN: 'csrf_failed',
  FST_CSRF_MISSING_SECRET: 'csrf_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; statusCode?: number; validation?: unknown; message?: string } | undefined;
  if (e?.validation) return new AppError('validation_failed', { cause: err, fields: fieldErrorsFrom(e.validation) });
  // A schema parsed by a handler (params, query, body) refused its input: the caller's mistake, not ours.
  if (err instanceof ZodError) return new AppError('validation_failed', { cause: err, fields: fieldErrorsFromZod(err.issues) });
  const mapped = e?.code ? frameworkCodes[e.code] : undefined;
  if (mapped) return new AppError(mapped, { cause: err });
  if (err instanceof SyntaxError && e?.statusCode === 400) return new AppError('malformed_request', { cause: err });
  if (e?.statusCode === 429) return new AppError('rate_limited', { cause: err });
  if (e?.statusCode === 413) return new AppError('payload_too_large', { cause: err });
  if (e?.statusCode === 415) return new AppError('unsupported_media_type', { cause: err });
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('malformed_request', { cause: err });
  return new AppError('internal', { cause: err });
}

interface Issue { code?: string; path: string; params: Record<string, unknown> }

function fieldError({ code, path, params: p }: Issue): FieldError {
  const field = path || '(root)';
  if (code === 'invalid_type' && p.input === undefined) return { field, messageKey: 'validation.required' };
  if (code === 'too_small' && p.origin === 'string' && p.minimum === 1) return { field, messageKey: 'validation.required' };
  if (code === 'too_big' && p.origin === 'string') return { field, messageKey: 'validation.too_long', values: { max: Number(p.maximum) } };
  if (code === 'invalid_value' || code === 'invalid_union') return { field, messageKey: 'validation.choice' };
  return { field, messageKey: 'validation.invalid' };
}

/** Field errors from Fastify's validation issues (as produced by fastify-type-provider-zod). */
export function fieldErrorsFrom(validation: unknown): FieldError[] {
  if (!Array.isArray(validation)) return [];
  return (validation as { keyword?: string; instancePath?: string; params?: Record<string, unknown> }[]).map((v) =>
    fieldError({ code: v.keyword, path: (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.'), params: v.params ?? {} }),
  );
}

/** Field errors from a zod error (forms parsed by the handler). */
export function fieldErrorsFromZod(issues: readonly { code: string; path: PropertyKey[] }[]): FieldError[] {
  return issues.map((issue) => fieldError({ code: issue.code, path: issue.path.map(String).join('.'), params: issue as unknown as Record<string, unknown> }));
}
