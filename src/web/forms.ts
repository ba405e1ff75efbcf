// HTML forms are parsed by the handler (not by route schemas) so that a wrong answer re-renders the
// form with an error summary instead of a bare error page.
import type { z } from 'zod';
import { type FieldError, fieldErrorsFromZod } from '../errors.js';
import type { PageContext } from './context.js';
import type { ShownError } from './components/ErrorSummary.js';

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrorsFromZod(result.error.issues) };
}

/** Translates field errors; a form may give a more specific message per field. */
export function showErrors(ctx: PageContext, errors: FieldError[], specific: Record<string, string> = {}): ShownError[] {
  return errors.map((e) => ({ field: e.field, message: specific[e.field] ? ctx.t(specific[e.field]!) : ctx.t(e.messageKey, e.values) }));
}
