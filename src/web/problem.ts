// RFC 9457 problem documents for the API: a stable code, a translated title, field errors.
import { z } from 'zod';
import { type AppError, type ErrorCode, errorCodes } from '../errors.js';
import type { Locale } from './i18n.js';
import { translate } from './i18n.js';

export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the kind of problem: urn:nazaha:problem:<code>'),
    title: z.string().describe("Short, user-safe summary in the caller's language (Accept-Language)"),
    status: z.number().int().describe('HTTP status code'),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]).describe('Stable machine-readable error code'),
    requestId: z.string().optional().describe('Reference to quote when contacting the portal team'),
    errors: z
      .array(z.object({ field: z.string().describe('Field name or dot path'), message: z.string().describe('What is wrong, translated') }))
      .optional()
      .describe('Field errors, for validation problems'),
  })
  .describe('Problem details (RFC 9457), served as application/problem+json')
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export function toProblem(err: AppError, locale: Locale, requestId?: string): Problem {
  return {
    type: `urn:nazaha:problem:${err.code}`,
    title: translate(locale, `errors.${err.code}.title`),
    status: err.status,
    code: err.code,
    ...(err.status >= 500 && requestId ? { requestId } : {}),
    ...(err.fields.length
      ? { errors: err.fields.map((f) => ({ field: f.field, message: translate(locale, f.messageKey, f.values) })) }
      : {}),
  };
}
