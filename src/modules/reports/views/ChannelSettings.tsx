import { ErrorSummary, FieldError, type ShownError } from '../../../web/components/ErrorSummary.js';
import type { PageContext } from '../../../web/context.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import type { Channel } from '../channels.js';

const units = ['calendar_days', 'working_days', 'months'] as const;

function Clock({ ctx, name, legend, amount, unit, errors }: { ctx: PageContext; name: string; legend: string; amount: string; unit: string; errors: (f: string) => string | undefined }) {
  const { t } = ctx;
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      <FieldError ctx={ctx} id={`${name}Amount-error`} message={errors(`${name}Amount`)} />
      <label for={`${name}Amount`}>{t('channel.settings.amount')}</label>{' '}
      <input class="input" type="number" min={1} max={3650} id={`${name}Amount`} name={`${name}Amount`} value={amount} required aria-describedby={errors(`${name}Amount`) ? `${name}Amount-error` : undefined} />{' '}
      <label for={`${name}Unit`}>{t('channel.settings.unit')}</label>{' '}
      <select class="input" id={`${name}Unit`} name={`${name}Unit`}>
        {units.map((u) => <option value={u} selected={u === unit}>{t(`channel.settings.unit.${u}`)}</option>)}
      </select>
    </fieldset>
  );
}

export function ChannelSettingsPage({ frame, channel, values, errors = [], saved }: {
  frame: StaffFrame; channel: Channel; values: Record<string, string>; errors?: ShownError[]; saved?: boolean;
}) {
  const { t, locale } = frame.ctx;
  const ctx = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const area = (name: string, label: string, hint?: string) => (
    <div class={`field${err(name) ? ' has-error' : ''}`}>
      <label for={name}>{label}</label>
      {hint && <span class="hint" id={`${name}-hint`}>{hint}</span>}
      <FieldError ctx={ctx} id={`${name}-error`} message={err(name)} />
      <textarea class="input" id={name} name={name} rows={3} dir={name === 'others' ? 'ltr' : 'auto'} aria-describedby={[hint ? `${name}-hint` : '', err(name) ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined}>{values[name] ?? ''}</textarea>
    </div>
  );
  return (
    <StaffLayout frame={frame} title={t('channel.settings.title', { channel: channel.name[locale] })} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p><a href={`/${locale}/staff/questionnaires`}>{t('channel.settings.back')}</a></p>
      <h1>{t('channel.settings.title', { channel: channel.name[locale] })}</h1>
      {saved && <p class="notice" role="status">{t('channel.settings.saved')}</p>}
      <p>{t('channel.settings.text')}</p>
      <form method="post" action={`/${locale}/staff/questionnaires/${channel.id}/settings`} novalidate>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <h2>{t('channel.settings.clocks')}</h2>
        <Clock ctx={ctx} name="ack" legend={t('case.ack_due')} amount={values.ackAmount ?? ''} unit={values.ackUnit ?? ''} errors={err} />
        <Clock ctx={ctx} name="feedback" legend={t('case.feedback_due')} amount={values.feedbackAmount ?? ''} unit={values.feedbackUnit ?? ''} errors={err} />
        {area('others', t('channel.settings.others'), t('channel.settings.others.hint'))}
        <h2>{t('channel.settings.ack')}</h2>
        <p>{t('channel.settings.ack.text')}</p>
        {area('ackAr', t('holidays.name.ar'))}
        {area('ackFr', t('holidays.name.fr'))}
        {area('ackEn', t('holidays.name.en'))}
        {area('ackZgh', t('holidays.name.zgh'))}
        <h2>{t('channel.settings.files')}</h2>
        <p>{t('channel.settings.originals.text')}</p>
        <p>{t('channel.settings.originals.risk')}</p>
        <div class="field">
          <span class="hint" id="keepOriginals-hint">{t('channel.settings.originals.hint')}</span>
          <div class="choice"><input type="checkbox" id="keepOriginals" name="keepOriginals" value="yes" checked={values.keepOriginals === 'yes'} aria-describedby="keepOriginals-hint" /><label for="keepOriginals">{t('channel.settings.originals')}</label></div>
        </div>
        <h2>{t('channel.settings.retention')}</h2>
        <div class={`field${err('retentionDays') ? ' has-error' : ''}`}>
          <label for="retentionDays">{t('channel.settings.retention.label')}</label>
          <span class="hint" id="retentionDays-hint">{t('channel.settings.retention.hint')}</span>
          <FieldError ctx={ctx} id="retentionDays-error" message={err('retentionDays')} />
          <input class="input" type="number" min={30} max={36500} id="retentionDays" name="retentionDays" value={values.retentionDays ?? ''} required
            aria-describedby={err('retentionDays') ? 'retentionDays-hint retentionDays-error' : 'retentionDays-hint'} />
        </div>
        <button class="button" type="submit">{t('channel.settings.submit')}</button>
      </form>
    </StaffLayout>
  );
}
