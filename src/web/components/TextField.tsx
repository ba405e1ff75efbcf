import type { PageContext } from '../context.js';
import { FieldError } from './ErrorSummary.js';

export interface TextFieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'url';
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email';
  required?: boolean;
  /** Fixed-direction values (e-mail, codes) stay left-to-right in Arabic pages. */
  ltr?: boolean;
}

export function TextField({ ctx, name, label, type = 'text', value, hint, error, autocomplete, inputmode, required, ltr }: TextFieldProps) {
  const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  // Preact types input attributes per `type`; this component passes any of the text-like ones.
  const attributes = {
    class: 'input', id: name, name, type, value: type === 'password' ? undefined : value, autocomplete, inputmode, required,
    'aria-describedby': described, 'aria-invalid': error ? 'true' : undefined, dir: ltr ? 'ltr' : type === 'text' ? 'auto' : undefined, spellcheck: false,
  } as Record<string, unknown>;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={name}>{label}</label>
      {hint && <span class="hint" id={`${name}-hint`}>{hint}</span>}
      <FieldError ctx={ctx} id={`${name}-error`} message={error} />
      <input {...attributes} />
    </div>
  );
}
