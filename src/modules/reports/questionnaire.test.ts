import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../paths.js';
import { checkStep } from './answers.js';
import {
  type Field, fieldsOnPage, incompleteStep, keptAnswers, type Problem, type Questionnaire, questionnaireSchema, say, type Step, validateQuestionnaire, visibleSteps,
} from './questionnaire.js';

const tx = (s: string) => ({ ar: `${s} ar`, fr: `${s} fr`, en: `${s} en` });
const places = { regionCodes: ['MA-01', 'MA-06'], provinceCodes: ['tanger-assilah'] };
const field = (id: string, more: Partial<Field> = {}): Field => ({ id, type: 'short-text', required: false, label: tx(id), ...more });
const step = (id: string, fields: Field[], more: Partial<Step> = {}): Step => ({ id, title: tx(id), fields, ...more });

/** Asked whether the reporter wrote first; if yes, a step about the letter, with a follow-up field. */
const conditional = (): Questionnaire => ({
  version: 2,
  steps: [
    step('facts', [
      field('what', { type: 'long-text', required: true }),
      field('wrote', { type: 'yesno', required: true }),
      field('how', { type: 'multiple', options: [{ id: 'post', label: tx('post') }, { id: 'email', label: tx('email') }, { id: 'office', label: tx('office') }], showIf: { field: 'wrote', equals: 'yes' } }),
    ]),
    step('letter', [
      field('sent-on', { type: 'date', required: true }),
      field('reference', { showIf: { field: 'how', in: ['post', 'office'] }, required: true }),
    ], { showIf: { field: 'wrote', equals: 'yes' } }),
    step('place', [field('region', { type: 'region' })]),
  ],
});

const codes = (ps: Problem[]) => ps.map((p) => `${p.code}:${p.where}${p.target ? `:${p.target}` : ''}`);

describe('validating a questionnaire', () => {
  it('accepts the shipped default questionnaire and a sound conditional one', () => {
    const file = JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'channels.json'), 'utf8')) as { questionnaire: unknown };
    expect(validateQuestionnaire(questionnaireSchema.parse(file.questionnaire), places)).toEqual([]);
    expect(validateQuestionnaire(conditional(), places)).toEqual([]);
  });

  it('refuses a condition on a later field, on the field itself, or on a field of the same step for a step', () => {
    const q = conditional();
    q.steps[0]!.fields[0]!.showIf = { field: 'wrote', equals: 'yes' };
    q.steps[0]!.fields[1]!.showIf = { field: 'wrote', equals: 'no' };
    q.steps[1]!.showIf = { field: 'sent-on', equals: 'x' };
    expect(codes(validateQuestionnaire(q, places))).toEqual(['condition_later:what:wrote', 'condition_later:wrote:wrote', 'condition_later:letter:sent-on']);
  });

  it('refuses a condition on an unknown field, on a text field, or on a value that cannot be answered', () => {
    const q = conditional();
    q.steps[1]!.showIf = { field: 'writen', equals: 'yes' };
    q.steps[1]!.fields[1]!.showIf = { field: 'how', in: ['post', 'fax'] };
    q.steps[2]!.fields.push(field('office', { showIf: { field: 'what', equals: 'x' } }), field('near', { showIf: { field: 'region', in: [] } }), field('north', { showIf: { field: 'region', equals: 'MA-99' } }));
    expect(codes(validateQuestionnaire(q, places))).toEqual([
      'condition_unknown:letter:writen', 'condition_value:reference:fax', 'condition_type:office:what', 'condition_value:near', 'condition_value:north:MA-99',
    ]);
  });

  it('refuses an empty step, a questionnaire without steps, and choice fields without options', () => {
    const q = conditional();
    q.steps.push(step('more', []));
    q.steps[2]!.fields.push(field('kind', { type: 'single' }), field('kinds', { type: 'multiple', options: [] }));
    expect(codes(validateQuestionnaire(q, places))).toEqual(['no_options:kind', 'no_options:kinds', 'empty_step:more']);
    expect(codes(validateQuestionnaire({ steps: [] }, places))).toEqual(['no_steps:']);
  });

  it('refuses a missing ar, fr or en text, and lets zgh fall back to French', () => {
    const q = conditional();
    q.steps[0]!.title = { ar: 'ما حدث', fr: 'Les faits', en: ' ' };
    q.steps[0]!.fields[0]!.help = { fr: 'aide', en: 'help' };
    q.steps[0]!.fields[2]!.options![1]!.label = { ar: 'بريد', en: 'e-mail' };
    expect(codes(validateQuestionnaire(q, places))).toEqual(['missing_translation:facts:title.en', 'missing_translation:what:help.ar', 'missing_translation:how.email:label.fr']);
    expect(say(q.steps[1]!.title, 'zgh')).toBe('letter fr');
    expect(say({ ...tx('x'), zgh: 'ⴰⵔⵔⴰ' }, 'zgh')).toBe('ⴰⵔⵔⴰ');
  });

  it('refuses duplicate ids (steps and fields share one namespace, options are unique per field), bad and reserved ids', () => {
    const q = conditional();
    q.steps[2]!.fields.push(field('what'), field('letter'), field('Bad_Id'));
    q.steps[0]!.fields[2]!.options!.push({ id: 'post', label: tx('again') }, { id: 'a,b', label: tx('comma') });
    q.steps.push(step('review', [field('extra')]));
    expect(codes(validateQuestionnaire(q, places))).toEqual([
      'duplicate_id:how.post', 'invalid_id:how.a,b', 'duplicate_id:what', 'duplicate_id:letter', 'invalid_id:Bad_Id', 'reserved_id:review',
    ]);
  });

  it('rejects unknown keys and field types at the shape level, naming where', () => {
    const bad = questionnaireSchema.safeParse({ steps: [{ id: 'a', title: tx('a'), fields: [{ id: 'b', type: 'colour', label: tx('b') }], showif: {} }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['steps.0.fields.0.type']));
  });
});

describe('conditions while answering', () => {
  const q = conditional();

  it('skips a conditional step when its condition is false, and counts it out', () => {
    expect(visibleSteps(q, { what: 'x', wrote: 'no' }).map((s) => s.id)).toEqual(['facts', 'place']);
    expect(visibleSteps(q, { what: 'x', wrote: 'yes' }).map((s) => s.id)).toEqual(['facts', 'letter', 'place']);
  });

  it('neither requires nor keeps a hidden field, on the same page or a later one', () => {
    const body = { what: 'Bribe', wrote: 'no', how: ['post', 'email'] };
    expect(checkStep(q.steps[0]!.fields, body, { regionCodes: [] })).toEqual({ answers: { what: 'Bribe', wrote: 'no' }, problems: [] });
    const yes = checkStep(q.steps[0]!.fields, { ...body, wrote: 'yes' }, { regionCodes: [] });
    expect(yes.answers).toEqual({ what: 'Bribe', wrote: 'yes', how: 'post,email' });
    const letter = checkStep(q.steps[1]!.fields, { 'sent-on': '2026-01-05', reference: '' }, { regionCodes: [], earlier: { how: 'email' } });
    expect(letter).toEqual({ answers: { 'sent-on': '2026-01-05' }, problems: [] });
    const posted = checkStep(q.steps[1]!.fields, { 'sent-on': '2026-01-05', reference: '' }, { regionCodes: [], earlier: { how: 'post,email' } });
    expect(posted.problems).toEqual([{ field: 'reference', key: 'report.field.required' }]);
  });

  it('checks choices against their options, and keeps ticked boxes in option order', () => {
    const fields = [field('kind', { type: 'single', options: [{ id: 'a', label: tx('a') }] }), field('many', { type: 'multiple', options: [{ id: 'x', label: tx('x') }, { id: 'y', label: tx('y') }] }), field('ok', { type: 'yesno' }), field('file', { type: 'upload', required: true })];
    expect(checkStep(fields, { kind: 'b', many: ['y', 'z'], ok: 'maybe' }, { regionCodes: [] }).problems.map((p) => p.field)).toEqual(['kind', 'many', 'ok']);
    expect(checkStep(fields, { kind: 'a', many: ['y', 'x', 'y'], ok: 'yes' }, { regionCodes: [] })).toEqual({ answers: { kind: 'a', many: 'x,y', ok: 'yes' }, problems: [] });
  });

  it('drops answers whose condition stopped holding, and finds a step left incomplete', () => {
    const answers = { what: 'x', wrote: 'no', how: 'post', 'sent-on': '2026-01-05', reference: 'R1', region: 'MA-01' };
    expect(keptAnswers(q, answers)).toEqual({ what: 'x', wrote: 'no', region: 'MA-01' });
    expect(incompleteStep(q, { what: 'x', wrote: 'yes', region: 'MA-01' })).toBe('letter');
    expect(incompleteStep(q, { what: 'x', wrote: 'yes', how: 'email', 'sent-on': '2026-01-05' })).toBeUndefined();
  });

  it('shows a field that depends on the same page always, and one that depends on an earlier page only when it holds', () => {
    expect(fieldsOnPage(q.steps[0]!, {}).map((f) => `${f.field.id}:${f.conditional}`)).toEqual(['what:false', 'wrote:false', 'how:true']);
    expect(fieldsOnPage(q.steps[1]!, { how: 'email' }).map((f) => f.field.id)).toEqual(['sent-on']);
    expect(fieldsOnPage(q.steps[1]!, { how: 'office' }).map((f) => f.field.id)).toEqual(['sent-on', 'reference']);
  });
});
