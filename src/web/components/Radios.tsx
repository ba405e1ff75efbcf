import type { PageContext } from '../context.js';
import { FieldError } from './ErrorSummary.js';

export interface RadiosProps {
  ctx: PageContext;
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  /** On one-question pages the question is the page's heading (the legend holds the h1). */
  heading?: boolean;
}

/** A radio group whose first input carries the field's id, so the error summary can link to it. */
export function Radios({ ctx, name, legend, options, value, error, required, heading }: RadiosProps) {
  const errorId = `${name}-error`;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <fieldset aria-describedby={error ? errorId : undefined}>
        <legend>{heading ? <h1 class="legend-heading">{legend}</h1> : legend}</legend>
        <FieldError ctx={ctx} id={errorId} message={error} />
        {options.map((o, i) => (
          <div class="choice">
            <input type="radio" id={i === 0 ? name : `${name}-${o.value}`} name={name} value={o.value} checked={value === o.value} required={required} />
            <label for={i === 0 ? name : `${name}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
