import type { ZodType } from 'zod';
import { problemSchema } from './problem.js';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });

/**
 * Error answers every operation can give, whatever its handler does: Fastify's own validation (400),
 * not found (404), body too large (413), URI too long (414), media type (415), the rate limiter (429)
 * and an unexpected failure (500).
 */
export const standardErrors = {
  400: problem('The request is malformed or fails validation; `errors` lists the fields'),
  404: problem('No such resource'),
  413: problem('The request body is larger than the configured limit'),
  414: problem('The request URI is longer than 2048 characters'),
  415: problem('The request body has a media type this operation does not accept'),
  429: problem('Too many requests from this client; retry after the number of seconds in Retry-After'),
  500: problem('Unexpected failure; quote requestId when reporting it'),
} as const;

export const problemResponse = problem;

/** Response map for an operation: its own answers plus every standard error. */
export function responses<R extends Record<number, ZodType | { description: string; content: Record<string, { schema: ZodType }> }>>(own: R) {
  return { ...standardErrors, ...own };
}

export const jsonResponse = (description: string, schema: ZodType) => ({ description, content: { 'application/json': { schema } } });
