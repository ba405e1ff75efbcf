// A channel's questionnaire is data that institution administrators edit: steps of fields, some of
// them shown only when an earlier answer has a given value. This file holds its shape, the rules
// that make a version publishable, and how conditions decide what a reporter sees and what is kept.
// Pure functions, no I/O: the public form, the builder and the tests share them.
import { z } from 'zod';
import type { Locale } from '../../web/i18n.js';

/**
 * Texts written by an institution. ar, fr and en are required to publish; zgh may be missing and then
 * falls back to French, because few institutions have a Tifinagh translator and a missing
 * translation should not keep a questionnaire from being corrected.
 */
const text = z.strictObject({ ar: z.string().max(2000).optional(), fr: z.string().max(2000).optional(), en: z.string().max(2000).optional(), zgh: z.string().max(2000).optional() });
export type QText = z.infer<typeof text>;

export const fieldTypes = ['short-text', 'long-text', 'single', 'multiple', 'date', 'yesno', 'region', 'province', 'amount', 'upload'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** Shown when the answer to `field` equals `equals`, or is one of `in` (for multiple choice: any ticked). */
const condition = z.union([
  z.strictObject({ field: z.string().max(60), equals: z.string().max(60) }),
  z.strictObject({ field: z.string().max(60), in: z.array(z.string().max(60)).max(50) }),
]);
export type Condition = z.infer<typeof condition>;

const option = z.strictObject({ id: z.string().max(60), label: text });
const field = z.strictObject({
  id: z.string().max(60),
  type: z.enum(fieldTypes),
  required: z.boolean().default(false),
  label: text,
  help: text.optional(),
  options: z.array(option).max(50).optional(),
  showIf: condition.optional(),
});
const step = z.strictObject({ id: z.string().max(60), title: text, showIf: condition.optional(), fields: z.array(field).max(40) });
export const questionnaireSchema = z.strictObject({
  /** Set by the portal when a version is published; ignored in what an administrator types. */
  version: z.number().int().optional(),
  steps: z.array(step).max(30),
});

export type Field = z.infer<typeof field>;
export type Step = z.infer<typeof step>;
export interface Questionnaire { version: number; steps: Step[] }

/** A questionnaire text in the reader's language; French when that language is missing (zgh may be). */
export const say = (t: QText | undefined, locale: Locale): string => (t?.[locale]?.trim() ? t[locale]! : t?.fr ?? '');

// Validation

export type ProblemCode =
  | 'no_steps' | 'invalid_id' | 'reserved_id' | 'duplicate_id' | 'empty_step' | 'no_options' | 'missing_translation'
  | 'condition_unknown' | 'condition_later' | 'condition_type' | 'condition_value';
/** `where` names the step, field or option; `target` what is wrong in it (a language, a field, a value). */
export interface Problem { code: ProblemCode; where: string; target?: string }

const ID = /^[a-z][a-z0-9-]{0,39}$/;
// Option ids may start with a digit ("1-2-times"); never a comma, which separates ticked options.
const OPTION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Names the report form uses for its own pages, or for a report already sent. */
const RESERVED_STEPS = new Set(['identity', 'notices', 'review', 'sent', 'submit']);
const REQUIRED_LANGUAGES = ['ar', 'fr', 'en'] as const;
const COMPARABLE: FieldType[] = ['single', 'multiple', 'yesno', 'region', 'province'];

export interface Places { regionCodes: readonly string[]; provinceCodes: readonly string[] }

/** Every reason a questionnaire cannot be published; an empty list means it can. */
export function validateQuestionnaire(q: Pick<Questionnaire, 'steps'>, places: Places): Problem[] {
  const problems: Problem[] = [];
  if (q.steps.length === 0) return [{ code: 'no_steps', where: '' }];
  const seen = new Set<string>();
  const checkId = (id: string, fallback: string) => {
    if (!ID.test(id)) problems.push({ code: 'invalid_id', where: id || fallback });
    else if (seen.has(id)) problems.push({ code: 'duplicate_id', where: id });
    seen.add(id);
  };
  const translated = (where: string, name: string, t: QText) => {
    for (const l of REQUIRED_LANGUAGES) if (!t[l]?.trim()) problems.push({ code: 'missing_translation', where, target: `${name}.${l}` });
  };
  // Fields in questionnaire order: a condition may refer only to one before it.
  const order = q.steps.flatMap((s) => s.fields);
  /** `before`: the position of the step's first field, or of the field itself, in questionnaire order. */
  const checkCondition = (where: string, c: Condition, before: number) => {
    const at = order.findIndex((f) => f.id === c.field);
    if (at === -1) return problems.push({ code: 'condition_unknown', where, target: c.field });
    // A step's condition must be answered on an earlier page; a field's, earlier in the questionnaire.
    if (at >= before) return problems.push({ code: 'condition_later', where, target: c.field });
    const source = order[at]!;
    if (!COMPARABLE.includes(source.type)) return problems.push({ code: 'condition_type', where, target: c.field });
    const values = 'equals' in c ? [c.equals] : c.in;
    const possible = possibleAnswers(source, places);
    if (values.length === 0) problems.push({ code: 'condition_value', where, target: '' });
    for (const v of values) if (!possible.includes(v)) problems.push({ code: 'condition_value', where, target: v });
    return undefined;
  };

  let index = 0;
  for (const [si, s] of q.steps.entries()) {
    checkId(s.id, `steps.${si}`);
    if (RESERVED_STEPS.has(s.id)) problems.push({ code: 'reserved_id', where: s.id });
    translated(s.id, 'title', s.title);
    if (s.fields.length === 0) problems.push({ code: 'empty_step', where: s.id });
    if (s.showIf) checkCondition(s.id, s.showIf, index);
    for (const [fi, f] of s.fields.entries()) {
      checkId(f.id, `${s.id}.fields.${fi}`);
      translated(f.id, 'label', f.label);
      if (f.help) translated(f.id, 'help', f.help);
      if (f.type === 'single' || f.type === 'multiple') {
        if (!f.options?.length) problems.push({ code: 'no_options', where: f.id });
        const ids = new Set<string>();
        for (const o of f.options ?? []) {
          if (!OPTION_ID.test(o.id)) problems.push({ code: 'invalid_id', where: `${f.id}.${o.id}` });
          else if (ids.has(o.id)) problems.push({ code: 'duplicate_id', where: `${f.id}.${o.id}` });
          ids.add(o.id);
          translated(`${f.id}.${o.id}`, 'label', o.label);
        }
      }
      if (f.showIf) checkCondition(f.id, f.showIf, index);
      index++;
    }
  }
  return problems;
}

/** The values an answer to a field can take, for conditions on it. */
function possibleAnswers(f: Field, places: Places): readonly string[] {
  if (f.type === 'yesno') return ['yes', 'no'];
  if (f.type === 'region') return places.regionCodes;
  if (f.type === 'province') return places.provinceCodes;
  return (f.options ?? []).map((o) => o.id);
}

// Conditions at answer time

/** Ticked options of a multiple-choice answer are kept as one string, separated by commas. */
export const splitChoices = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

export function conditionHolds(c: Condition, answers: Record<string, string>): boolean {
  const given = splitChoices(answers[c.field]);
  const wanted = 'equals' in c ? [c.equals] : c.in;
  return given.some((v) => wanted.includes(v));
}

/**
 * The answers that count: those of visible steps and visible fields, in order. Conditions only look
 * back, so one pass decides; an answer whose condition stopped holding (the reporter went back and
 * changed an earlier answer) is dropped, neither required nor stored.
 */
export function keptAnswers(q: Pick<Questionnaire, 'steps'>, answers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const s of q.steps) {
    if (s.showIf && !conditionHolds(s.showIf, kept)) continue;
    for (const f of s.fields) {
      if (f.showIf && !conditionHolds(f.showIf, kept)) continue;
      if (answers[f.id] !== undefined) kept[f.id] = answers[f.id]!;
    }
  }
  return kept;
}

/** The steps a reporter goes through with these answers (the others are skipped and not counted). */
export function visibleSteps(q: Pick<Questionnaire, 'steps'>, answers: Record<string, string>): Step[] {
  const kept = keptAnswers(q, answers);
  return q.steps.filter((s) => !s.showIf || conditionHolds(s.showIf, kept));
}

/**
 * The fields a step page shows. A field that depends on an earlier page is shown only when its
 * condition holds; one that depends on a field of the same page is always shown, with a hint naming
 * its condition, because without JavaScript the page cannot change as the reporter answers.
 */
export function fieldsOnPage(s: Step, earlier: Record<string, string>): { field: Field; conditional: boolean }[] {
  const here = new Set(s.fields.map((f) => f.id));
  return s.fields
    .filter((f) => !f.showIf || here.has(f.showIf.field) || conditionHolds(f.showIf, earlier))
    .map((f) => ({ field: f, conditional: !!f.showIf && here.has(f.showIf.field) }));
}

/** Finds a field anywhere in the questionnaire. */
export const findField = (q: Pick<Questionnaire, 'steps'>, id: string): Field | undefined => q.steps.flatMap((s) => s.fields).find((f) => f.id === id);

/**
 * The first visible step that lacks a required answer (an earlier answer changed and made a field
 * or a step appear after the reporter had passed it); undefined when every required answer is there.
 */
export function incompleteStep(q: Pick<Questionnaire, 'steps'>, answers: Record<string, string>): string | undefined {
  const kept = keptAnswers(q, answers);
  for (const s of visibleSteps(q, kept)) {
    for (const f of s.fields) {
      if (!f.required || f.type === 'upload' || (f.showIf && !conditionHolds(f.showIf, kept))) continue;
      if (kept[f.id] === undefined) return s.id;
    }
  }
  return undefined;
}

/**
 * What staff type in when they register a report taken by phone or post: the free-text questions
 * that are always asked. Choices and conditional questions belong to the reporter's own form.
 */
export const staffFields = (q: Pick<Questionnaire, 'steps'>): Field[] =>
  q.steps.filter((s) => !s.showIf).flatMap((s) => s.fields).filter((f) => !f.showIf && (f.type === 'short-text' || f.type === 'long-text'));
