import { assetUrl } from '../../../web/assets.js';
import type { ComponentChildren } from 'preact';
import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { FieldError } from '../../../web/components/ErrorSummary.js';
import { Radios } from '../../../web/components/Radios.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Channel } from '../channels.js';
import { type Condition, type Field, findField, type Questionnaire, say, splitChoices } from '../questionnaire.js';

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function ChooseChannel({ ctx, csrfToken, channels, orientation, errors = [] }: { ctx: PageContext; csrfToken: string; channels: Channel[]; orientation?: string | undefined; errors?: ShownError[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('report.title')}</h1>
      <p class="lead">{t('report.intro')}</p>
      <form method="post" action={`/${locale}/report`} novalidate>
        <Csrf token={csrfToken} />
        {orientation && <input type="hidden" name="orientation" value={orientation} />}
        <Radios ctx={ctx} name="channel" legend={t('report.channel')} required error={errors[0]?.message}
          options={channels.map((c) => ({ value: c.slug, label: `${c.name[locale]} — ${c.description[locale]}` }))} value={channels.length === 1 ? channels[0]!.slug : undefined} />
        <button class="button" type="submit">{t('report.start')}</button>
      </form>
    </Layout>
  );
}

/** Regions with their provinces, named in the reader's language. */
export interface Place { code: string; name: string; provinces: { code: string; name: string }[] }

/** "Only if the answer to “question” is: a, b", in the reader's language. */
export function describeCondition(ctx: PageContext, q: Pick<Questionnaire, 'steps'>, c: Condition, places: Place[], key: string): string {
  const source = findField(q, c.field);
  const named = (v: string) => {
    if (source?.type === 'yesno' && (v === 'yes' || v === 'no')) return ctx.t(`report.${v}`);
    if (source?.type === 'region') return places.find((p) => p.code === v)?.name ?? v;
    if (source?.type === 'province') return places.flatMap((p) => p.provinces).find((p) => p.code === v)?.name ?? v;
    return say(source?.options?.find((o) => o.id === v)?.label, ctx.locale) || v;
  };
  return ctx.t(key, { question: source ? say(source.label, ctx.locale) : c.field, answers: ('equals' in c ? [c.equals] : c.in).map(named).join(' / ') });
}

function Choices({ ctx, field, type, options, value, describedBy, legend, hint, error }: {
  ctx: PageContext; field: Field; type: 'radio' | 'checkbox'; options: { value: string; label: string }[]; value: string | undefined; describedBy: string | undefined; legend: string; hint: ComponentChildren; error: string | undefined;
}) {
  const ticked = type === 'checkbox' ? splitChoices(value) : [value ?? ''];
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <fieldset aria-describedby={describedBy}>
        <legend>{legend}</legend>
        {hint}
        <FieldError ctx={ctx} id={`${field.id}-error`} message={error} />
        {options.map((o, i) => {
          // The first box carries the field's id, so the error summary's link lands on the group.
          const id = i === 0 ? field.id : `${field.id}-${o.value}`;
          return (
            <div class="choice">
              <input type={type} id={id} name={field.id} value={o.value} checked={ticked.includes(o.value)} />
              <label for={id}>{o.label}</label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

function Question({ ctx, field, value, error, places, condition }: { ctx: PageContext; field: Field; value?: string | undefined; error?: string | undefined; places: Place[]; condition?: string | undefined }) {
  const { t, locale } = ctx;
  const label = `${say(field.label, locale)}${field.required ? '' : ` ${t('report.optional')}`}`;
  const help = say(field.help, locale);
  const describedBy = [condition ? `${field.id}-condition` : '', help ? `${field.id}-hint` : '', error ? `${field.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const hint = (
    <>
      {condition && <span class="hint" id={`${field.id}-condition`}>{condition}</span>}
      {help && <span class="hint" id={`${field.id}-hint`}>{help}</span>}
    </>
  );
  if (field.type === 'single' || field.type === 'multiple' || field.type === 'yesno') {
    const options = field.type === 'yesno'
      ? [{ value: 'yes', label: t('report.yes') }, { value: 'no', label: t('report.no') }]
      : (field.options ?? []).map((o) => ({ value: o.id, label: say(o.label, locale) }));
    return <Choices ctx={ctx} field={field} type={field.type === 'multiple' ? 'checkbox' : 'radio'} options={options} value={value} describedBy={describedBy} legend={label} hint={hint} error={error} />;
  }
  const common = { id: field.id, name: field.id, class: 'input', 'aria-describedby': describedBy, 'aria-invalid': error ? ('true' as const) : undefined, required: field.required };
  let input;
  if (field.type === 'long-text') input = <textarea {...common} rows={8} dir="auto">{value ?? ''}</textarea>;
  else if (field.type === 'region') {
    input = (
      <select {...common}>
        <option value="">{t('report.region.none')}</option>
        {places.map((r) => <option value={r.code} selected={value === r.code}>{r.name}</option>)}
      </select>
    );
  } else if (field.type === 'province') {
    input = (
      <select {...common}>
        <option value="">{t('report.region.none')}</option>
        {places.map((r) => <optgroup label={r.name}>{r.provinces.map((p) => <option value={p.code} selected={value === p.code}>{p.name}</option>)}</optgroup>)}
      </select>
    );
  } else if (field.type === 'upload') {
    // Attachments are stored by separate work; until then the field is shown, disabled, with a note.
    return (
      <div class="field">
        <label for={field.id}>{label}</label>
        {hint}
        <span class="hint" id={`${field.id}-unavailable`}>{t('report.upload.unavailable')}</span>
        <input type="file" id={field.id} name={field.id} class="input" disabled aria-describedby={[describedBy, `${field.id}-unavailable`].filter(Boolean).join(' ')} />
      </div>
    );
  } else if (field.type === 'date') input = <input {...common} type="date" value={value} max={new Date().toISOString().slice(0, 10)} />;
  else if (field.type === 'amount') input = <input {...common} type="number" min="0" step="0.01" inputmode="decimal" value={value} dir="ltr" />;
  else input = <input {...common} type="text" value={value} dir="auto" />;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={field.id}>{label}</label>
      {hint}
      <FieldError ctx={ctx} id={`${field.id}-error`} message={error} />
      {input}
    </div>
  );
}

/** Shown instead of the form's buttons when an administrator previews a questionnaire. */
export interface PreviewFrame { note?: string | undefined; previous?: string | undefined; next?: string | undefined; editor: string }

export interface StepProps {
  ctx: PageContext; csrfToken: string; channel: Channel; stepIndex: number; totalSteps: number; backHref: string;
  fields: { field: Field; condition?: string | undefined }[]; title: string; values: Record<string, string>; errors?: ShownError[]; places: Place[]; action: string;
  preview?: PreviewFrame | undefined;
}

export function QuestionStep({ ctx, csrfToken, channel, stepIndex, totalSteps, backHref, fields, title, values, errors = [], places, action, preview }: StepProps) {
  const { t, locale } = ctx;
  const questions = fields.map(({ field, condition }) => <Question ctx={ctx} field={field} value={values[field.id]} error={errors.find((e) => e.field === field.id)?.message} places={places} condition={condition} />);
  return (
    <Layout ctx={ctx} title={`${title} — ${channel.name[locale]}`} hasErrors={errors.length > 0}>
      {preview ? (
        <div class="notice" role="note">
          <p>{t('questionnaires.preview.banner')}</p>
          {preview.note && <p>{preview.note}</p>}
          <p><a href={preview.editor}>{t('questionnaires.preview.editor')}</a></p>
        </div>
      ) : <p><a href={backHref}>{t('report.back')}</a></p>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="progress">{t('report.step', { n: stepIndex, total: totalSteps })} · {channel.name[locale]}</p>
      <h1>{title}</h1>
      {preview ? (
        // Read-only: no form, no token, no button; nothing can be sent from a preview.
        <div class="preview">
          {questions}
          <nav class="inline-form" aria-label={t('questionnaires.preview.pages')}>
            {preview.previous && <a href={preview.previous}>{t('questionnaires.preview.previous')}</a>}
            {preview.next && <a href={preview.next}>{t('questionnaires.preview.next')}</a>}
          </nav>
        </div>
      ) : (
        <form method="post" action={action} novalidate>
          <Csrf token={csrfToken} />
          {questions}
          <button class="button" type="submit">{t('report.continue')}</button>
        </form>
      )}
    </Layout>
  );
}

export function IdentityStep({ ctx, csrfToken, stepIndex, totalSteps, backHref, value, name, contact, errors = [] }: { ctx: PageContext; csrfToken: string; stepIndex: number; totalSteps: number; backHref: string; value: string; name?: string | undefined; contact?: string | undefined; errors?: ShownError[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.identity.title')} hasErrors={errors.length > 0}>
      <p><a href={backHref}>{t('report.back')}</a></p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="progress">{t('report.step', { n: stepIndex, total: totalSteps })}</p>
      <h1>{t('report.identity.title')}</h1>
      <form method="post" action={`/${locale}/report/identity`} novalidate>
        <Csrf token={csrfToken} />
        <Radios ctx={ctx} name="mode" legend={t('report.identity.legend')} value={value} required
          options={[{ value: 'anonymous', label: t('report.identity.anonymous') }, { value: 'confidential', label: t('report.identity.confidential') }]} />
        <TextField ctx={ctx} name="name" label={`${t('report.identity.name')} ${t('report.optional')}`} value={name} autocomplete="off" error={errors.find((e) => e.field === 'name')?.message} />
        <TextField ctx={ctx} name="contact" label={`${t('report.identity.contact')} ${t('report.optional')}`} value={contact} autocomplete="off" ltr />
        <button class="button" type="submit">{t('report.continue')}</button>
      </form>
    </Layout>
  );
}

export function NoticeStep({ ctx, csrfToken, stepIndex, totalSteps, backHref, value, address, errors = [] }: { ctx: PageContext; csrfToken: string; stepIndex: number; totalSteps: number; backHref: string; value: string; address?: string | undefined; errors?: ShownError[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.notices.title')} hasErrors={errors.length > 0}>
      <p><a href={backHref}>{t('report.back')}</a></p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="progress">{t('report.step', { n: stepIndex, total: totalSteps })}</p>
      <h1>{t('report.notices.title')}</h1>
      <form method="post" action={`/${locale}/report/notices`} novalidate>
        <Csrf token={csrfToken} />
        <Radios ctx={ctx} name="mode" legend={t('report.notices.legend')} value={value} required
          options={[{ value: 'none', label: t('report.notices.none') }, { value: 'email', label: t('report.notices.email') }]} />
        <TextField ctx={ctx} name="address" type="email" label={`${t('report.notices.address')} ${t('report.optional')}`} value={address} autocomplete="off" ltr error={errors.find((e) => e.field === 'address')?.message} />
        <button class="button" type="submit">{t('report.continue')}</button>
      </form>
    </Layout>
  );
}

export interface ReviewProps {
  ctx: PageContext; csrfToken: string; channel: Channel; institutionName: string; stepIndex: number; totalSteps: number; backHref: string;
  answers: { label: string; value: string; href: string }[]; anonymous: boolean; errors?: ShownError[];
  /** A proof-of-work challenge that public/pow.js solves before sending, when JavaScript runs. */
  powChallenge: string;
}

export function ReviewStep({ ctx, csrfToken, channel, institutionName, stepIndex, totalSteps, backHref, answers, anonymous, errors = [], powChallenge }: ReviewProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.review.title')} hasErrors={errors.length > 0}>
      <p><a href={backHref}>{t('report.back')}</a></p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="progress">{t('report.step', { n: stepIndex, total: totalSteps })} · {channel.name[locale]}</p>
      <h1>{t('report.review.title')}</h1>
      <dl class="summary">
        {answers.map((a) => (
          <div class="summary-row">
            <dt>{a.label}</dt>
            <dd dir="auto">{a.value}</dd>
            <dd><a href={a.href}>{t('report.review.edit')}<span class="visually-hidden"> {a.label}</span></a></dd>
          </div>
        ))}
      </dl>
      <p>{anonymous ? t('report.review.anonymous') : t('report.review.identity')}</p>
      <section class="note" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{t('report.privacy.title')}</h2>
        <p>{t('report.privacy.text', { institution: institutionName })}</p>
      </section>
      <form method="post" action={`/${locale}/report/submit`} novalidate data-pow-challenge={powChallenge}>
        <Csrf token={csrfToken} />
        <input type="hidden" name="pow" value="" />
        <input type="hidden" name="powChallenge" value={powChallenge} />
        <div class={`field${errors.length ? ' has-error' : ''}`}>
          <FieldError ctx={ctx} id="confirm-error" message={errors[0]?.message} />
          <div class="choice">
            <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={errors.length ? 'confirm-error' : undefined} />
            <label for="confirm">{t('report.confirm')}</label>
          </div>
        </div>
        <button class="button" type="submit">{t('report.send')}</button>
        <p role="status" aria-live="polite" data-pow-status={t('report.pow.working')}></p>
      </form>
      <script src={assetUrl('pow.js')} defer></script>
    </Layout>
  );
}

export function ReceiptPage({ ctx, receipt, institutionName, days }: { ctx: PageContext; receipt: string; institutionName: string; days: number }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('report.receipt.title')}>
      <h1>{t('report.receipt.title')}</h1>
      <p>{t('report.receipt.label')}:</p>
      <p class="receipt" id="receipt" dir="ltr" lang="en">{receipt}</p>
      <p>{t('report.receipt.advice')}</p>
      <p>{t('report.receipt.next', { institution: institutionName, days })}</p>
      <p><a href={`/${locale}/follow-up/report#attachments`}>{t('report.receipt.files')}</a></p>
      <p><a href={`/${locale}/follow-up`}>{t('followup.title')}</a></p>
    </Layout>
  );
}

export function ReportMessage({ ctx, titleKey, textKey }: { ctx: PageContext; titleKey: string; textKey: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t(titleKey)}>
      <h1>{t(titleKey)}</h1>
      <p>{t(textKey)}</p>
      <p><a href={`/${locale}/report`}>{t('report.title')}</a></p>
    </Layout>
  );
}
