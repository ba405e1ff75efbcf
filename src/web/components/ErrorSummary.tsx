import type { PageContext } from '../context.js';

export interface ShownError { field: string; message: string }

/** GOV.UK-style summary: focusable, announced, linking to each field by id. */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: ShownError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{ctx.t('errors.summary')}</h2>
      <ul>
        {errors.map((e) => (
          <li><a href={`#${e.field}`}>{e.message}</a></li>
        ))}
      </ul>
    </div>
  );
}

export function FieldError({ ctx, id, message }: { ctx: PageContext; id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span class="field-error" id={id}>
      <span class="visually-hidden">{ctx.t('errors.prefix')} </span>
      {message}
    </span>
  );
}
