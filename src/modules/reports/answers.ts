// Checks the answers of one questionnaire step; pure, shared by the public form and staff intake.
import { conditionHolds, type Field } from './questionnaire.js';

export type AnswerProblem = { field: string; key: string; values?: Record<string, number> };
const MAX = { 'short-text': 300, 'long-text': 10_000 } as const;

export interface StepContext {
  regionCodes: readonly string[];
  provinceCodes?: readonly string[];
  /** Answers already kept from earlier steps: conditions on them decide which fields count. */
  earlier?: Record<string, string>;
}

/** Form values of a field: a string, or several for checkboxes (the form parser gives an array). */
const given = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);

export function checkStep(fields: Field[], body: Record<string, unknown>, ctx: StepContext): { answers: Record<string, string>; problems: AnswerProblem[] } {
  const answers: Record<string, string> = {};
  const problems: AnswerProblem[] = [];
  for (const f of fields) {
    // A field whose condition does not hold is not asked: neither required nor kept.
    if (f.showIf && !conditionHolds(f.showIf, { ...ctx.earlier, ...answers })) continue;
    // Files are stored by the attachments work, not by the answers: the form shows the field disabled.
    if (f.type === 'upload') continue;
    const values = given(body[f.id]);
    const raw = f.type === 'multiple' ? '' : typeof body[f.id] === 'string' ? (body[f.id] as string).trim() : '';
    if (f.type === 'multiple' ? values.length === 0 : !raw) {
      if (f.required) problems.push({ field: f.id, key: 'report.field.required' });
      continue;
    }
    const options = (f.options ?? []).map((o) => o.id);
    if ((f.type === 'short-text' || f.type === 'long-text') && raw.length > MAX[f.type]) problems.push({ field: f.id, key: 'report.field.too_long', values: { max: MAX[f.type] } });
    else if (f.type === 'date' && (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw)) || raw > new Date().toISOString().slice(0, 10))) problems.push({ field: f.id, key: 'report.field.date' });
    else if (f.type === 'amount' && !/^\d{1,12}([.,]\d{1,2})?$/.test(raw)) problems.push({ field: f.id, key: 'report.field.amount' });
    else if (f.type === 'region' && !ctx.regionCodes.includes(raw)) problems.push({ field: f.id, key: 'validation.choice' });
    else if (f.type === 'province' && !(ctx.provinceCodes ?? []).includes(raw)) problems.push({ field: f.id, key: 'validation.choice' });
    else if (f.type === 'yesno' && raw !== 'yes' && raw !== 'no') problems.push({ field: f.id, key: 'validation.choice' });
    else if (f.type === 'single' && !options.includes(raw)) problems.push({ field: f.id, key: 'validation.choice' });
    else if (f.type === 'multiple') {
      if (values.some((v) => !options.includes(v))) problems.push({ field: f.id, key: 'validation.choice' });
      // Kept in the order of the options, whatever order the browser sent them in.
      else answers[f.id] = options.filter((o) => values.includes(o)).join(',');
    } else answers[f.id] = raw;
  }
  return { answers, problems };
}

/** What the reporter typed, to show again on a page with errors (ticked boxes joined like answers). */
export function typedValues(fields: Field[], body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.id, f.type === 'multiple' ? given(body[f.id]).join(',').slice(0, 3000) : typeof body[f.id] === 'string' ? (body[f.id] as string).slice(0, 10_000) : '']));
}
