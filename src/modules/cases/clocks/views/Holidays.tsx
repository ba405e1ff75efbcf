import { ErrorSummary, FieldError, type ShownError } from '../../../../web/components/ErrorSummary.js';
import { TextField } from '../../../../web/components/TextField.js';
import { StaffLayout, type StaffFrame } from '../../../identity/views/Staff.js';
import type { MovableHoliday } from '../calendar.js';

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function HolidaysPage({ frame, holidays, errors = [], values = {}, done }: {
  frame: StaffFrame; holidays: MovableHoliday[]; errors?: ShownError[]; values?: Record<string, string>; done?: string | undefined;
}) {
  const { t, locale } = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <StaffLayout frame={frame} title={t('holidays.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('holidays.title')}</h1>
      {done && <p class="notice" role="status">{t(`holidays.done.${done}`)}</p>}
      <p>{t('holidays.text')}</p>
      {holidays.length === 0 ? <p>{t('holidays.empty')}</p> : (
        <div class="table-wrap">
          <table class="table">
            <thead><tr><th scope="col">{t('holidays.day')}</th><th scope="col">{t('holidays.name')}</th><th scope="col">{t('holidays.status')}</th><th scope="col"><span class="visually-hidden">{t('holidays.actions')}</span></th></tr></thead>
            <tbody>
              {holidays.map((h) => (
                <tr>
                  <td dir="ltr">{h.day}</td>
                  <td>{h.names ? (locale === 'zgh' ? h.names.zgh ?? h.names.fr : h.names[locale]) : '—'}</td>
                  <td>{h.provisional ? t('holidays.provisional') : t('holidays.announced')}</td>
                  <td><a href={`/${locale}/staff/holidays/${h.day}/delete`}>{t('holidays.delete')}<span class="visually-hidden"> {h.day}</span></a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('holidays.set')}</h2>
      <p>{t('holidays.set.text')}</p>
      <form method="post" action={`/${locale}/staff/holidays`} novalidate>
        <Csrf token={frame.csrfToken} />
        <div class={`field${err('day') ? ' has-error' : ''}`}>
          <label for="day">{t('holidays.day')}</label>
          <FieldError ctx={frame.ctx} id="day-error" message={err('day')} />
          <input class="input" type="date" id="day" name="day" value={values.day ?? ''} required aria-describedby={err('day') ? 'day-error' : undefined} />
        </div>
        <TextField ctx={frame.ctx} name="nameAr" label={t('holidays.name.ar')} value={values.nameAr} error={err('nameAr')} required />
        <TextField ctx={frame.ctx} name="nameFr" label={t('holidays.name.fr')} value={values.nameFr} error={err('nameFr')} required />
        <TextField ctx={frame.ctx} name="nameEn" label={t('holidays.name.en')} value={values.nameEn} error={err('nameEn')} required />
        <TextField ctx={frame.ctx} name="nameZgh" label={t('holidays.name.zgh')} value={values.nameZgh} error={err('nameZgh')} />
        <div class="choice"><input type="checkbox" id="provisional" name="provisional" value="yes" checked={values.provisional === 'yes'} /><label for="provisional">{t('holidays.provisional.label')}</label></div>
        <button class="button" type="submit">{t('holidays.submit')}</button>
      </form>
    </StaffLayout>
  );
}

export function DeleteHolidayPage({ frame, holiday }: { frame: StaffFrame; holiday: MovableHoliday }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('holidays.delete.title', { day: holiday.day })}>
      <h1>{t('holidays.delete.title', { day: holiday.day })}</h1>
      <p>{t('holidays.delete.text')}</p>
      <form method="post" action={`/${locale}/staff/holidays/${holiday.day}/delete`}>
        <Csrf token={frame.csrfToken} />
        <button class="button danger" type="submit">{t('holidays.delete.confirm')}</button>{' '}
        <a href={`/${locale}/staff/holidays`}>{t('holidays.delete.cancel')}</a>
      </form>
    </StaffLayout>
  );
}
