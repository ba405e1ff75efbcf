// Checks the answers of one questionnaire step; pure, so the builder of the next issue can reuse it.
import type { Field } from './channels.js';

export type AnswerProblem = { field: string; key: string; values?: Record<string, number> };
const MAX = { 'short-text': 300, 'long-text': 10_000 } as const;

export function checkStep(fields: Field[], body: Record<string, unknown>, regionCodes: string[]): { answers: Record<string, string>; problems: AnswerProblem[] } {
  const answers: Record<string, string> = {};
  const problems: AnswerProblem[] = [];
  for (const f of fields) {
    const raw = typeof body[f.id] === 'string' ? (body[f.id] as string).trim() : '';
    if (!raw) {
      if (f.required) problems.push({ field: f.id, key: 'report.field.required' });
      continue;
    }
    if ((f.type === 'short-text' || f.type === 'long-text') && raw.length > MAX[f.type]) problems.push({ field: f.id, key: 'report.field.too_long', values: { max: MAX[f.type] } });
    else if (f.type === 'date' && (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw)) || raw > new Date().toISOString().slice(0, 10))) problems.push({ field: f.id, key: 'report.field.date' });
    else if (f.type === 'amount' && !/^\d{1,12}([.,]\d{1,2})?$/.test(raw)) problems.push({ field: f.id, key: 'report.field.amount' });
    else if (f.type === 'region' && !regionCodes.includes(raw)) problems.push({ field: f.id, key: 'validation.choice' });
    else answers[f.id] = raw;
  }
  return { answers, problems };
}
