import type { PageContext } from '../context.js';
import { FieldError } from './ErrorSummary.js';

export interface SelectProps {
  ctx: PageContext;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
  /** A first, empty choice ("any", "nobody"), when the field may be left unset. */
  blank?: string;
}

/** A labelled drop-down with its error message, linked for screen readers. */
export function Select({ ctx, name, label, options, value, error, blank }: SelectProps) {
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={name}>{label}</label>
      <FieldError ctx={ctx} id={`${name}-error`} message={error} />
      <select id={name} name={name} class="input" aria-describedby={error ? `${name}-error` : undefined}>
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
      </select>
    </div>
  );
}
