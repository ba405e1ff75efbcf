import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { Radios } from '../../../web/components/Radios.js';
import { TextField } from '../../../web/components/TextField.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import type { Channel } from '../channels.js';
import { say, staffFields } from '../questionnaire.js';

export function StaffReportForm({ frame, channels, values = {}, errors = [] }: { frame: StaffFrame; channels: Channel[]; values?: Record<string, string>; errors?: ShownError[] }) {
  const { t, locale } = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const fields = channels[0] ? staffFields(channels[0].questionnaire) : [];
  return (
    <StaffLayout frame={frame} title={t('staffreport.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('staffreport.title')}</h1>
      {channels.length === 0 ? <p>{t('staffreport.none')}</p> : (
        <>
          <p>{t('staffreport.intro')}</p>
          <form method="post" action={`/${locale}/staff/reports/new`} novalidate>
            <input type="hidden" name="_csrf" value={frame.csrfToken} />
            <Radios ctx={frame.ctx} name="channel" legend={t('staffreport.channel')} value={values.channel ?? channels[0]!.slug} required error={err('channel')}
              options={channels.map((c) => ({ value: c.slug, label: c.name[locale] }))} />
            <Radios ctx={frame.ctx} name="receivedBy" legend={t('staffreport.received_by')} value={values.receivedBy ?? 'phone'} required
              options={(['phone', 'post', 'in-person'] as const).map((v) => ({ value: v, label: t(`staffreport.by.${v}`) }))} />
            {fields.map((f) => f.type === 'long-text' ? (
              <div class={`field${err(f.id) ? ' has-error' : ''}`}>
                <label for={f.id}>{say(f.label, locale)}{f.required ? '' : ` ${t('report.optional')}`}</label>
                {err(f.id) && <span class="field-error" id={`${f.id}-error`}>{err(f.id)}</span>}
                <textarea id={f.id} name={f.id} class="input" rows={6} dir="auto" aria-describedby={err(f.id) ? `${f.id}-error` : undefined}>{values[f.id] ?? ''}</textarea>
              </div>
            ) : (
              <TextField ctx={frame.ctx} name={f.id} label={`${say(f.label, locale)}${f.required ? '' : ` ${t('report.optional')}`}`} value={values[f.id]} error={err(f.id)} />
            ))}
            <button class="button" type="submit">{t('staffreport.submit')}</button>
          </form>
        </>
      )}
    </StaffLayout>
  );
}

export function StaffReportDone({ frame, receipt }: { frame: StaffFrame; receipt: string }) {
  const { t } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('staffreport.title')}>
      <h1>{t('staffreport.title')}</h1>
      <p>{t('staffreport.done')}</p>
      <p class="receipt" id="receipt" dir="ltr" lang="en">{receipt}</p>
    </StaffLayout>
  );
}
