import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { Organisation } from '../repository.js';
import { StaffLayout, type StaffFrame } from './Staff.js';

export function OrganisationsPage({ frame, organisations }: { frame: StaffFrame; organisations: Organisation[] }) {
  const { t, locale } = frame.ctx;
  const bySlug = new Map(organisations.map((o) => [o.id, o.slug]));
  return (
    <StaffLayout frame={frame} title={t('orgs.title')}>
      <h1>{t('orgs.title')}</h1>
      <p><a class="button" href={`/${locale}/staff/organisations/new`}>{t('orgs.create')}</a></p>
      {organisations.length === 0 ? <p>{t('orgs.empty')}</p> : (
        <div class="table-wrap"><table class="table">
          <caption class="visually-hidden">{t('orgs.title')}</caption>
          <thead><tr><th scope="col">{t('orgs.slug')}</th><th scope="col">{t('orgs.kind')}</th><th scope="col">{t('orgs.name_ar')}</th><th scope="col">{t('orgs.name_fr')}</th><th scope="col">{t('orgs.parent')}</th></tr></thead>
          <tbody>{organisations.map((o) => (
            <tr><td dir="ltr">{o.slug}</td><td>{t(`orgs.kind.${o.kind}`)}</td><td lang="ar" dir="rtl">{o.name_ar}</td><td lang="fr">{o.name_fr}</td><td dir="ltr">{o.parent_id ? bySlug.get(o.parent_id) : ''}</td></tr>
          ))}</tbody>
        </table></div>
      )}
    </StaffLayout>
  );
}

export type OrganisationValues = Partial<Record<'slug' | 'kind' | 'parent' | 'nameAr' | 'nameFr' | 'nameEn' | 'nameZgh', string>>;

export function NewOrganisationPage({ frame, institutions, values = {}, errors = [] }: { frame: StaffFrame; institutions: Organisation[]; values?: OrganisationValues; errors?: ShownError[] }) {
  const { t, locale } = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <StaffLayout frame={frame} title={t('orgs.create')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('orgs.create')}</h1>
      <form method="post" action={`/${locale}/staff/organisations/new`} novalidate>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <TextField ctx={frame.ctx} name="slug" label={t('orgs.slug')} hint={t('orgs.slug.hint')} value={values.slug} required ltr error={err('slug')} />
        <div class="field">
          <label for="kind">{t('orgs.kind')}</label>
          <select id="kind" name="kind" class="input">
            {(['institution', 'office', 'ngo'] as const).map((k) => <option value={k} selected={values.kind === k}>{t(`orgs.kind.${k}`)}</option>)}
          </select>
        </div>
        <div class={`field${err('parent') ? ' has-error' : ''}`}>
          <label for="parent">{t('orgs.parent')}</label>
          {err('parent') && <span class="field-error" id="parent-error">{err('parent')}</span>}
          <select id="parent" name="parent" class="input" aria-describedby={err('parent') ? 'parent-error' : undefined}>
            <option value="">{t('orgs.parent.none')}</option>
            {institutions.map((o) => <option value={String(o.id)} selected={values.parent === String(o.id)}>{o.slug}</option>)}
          </select>
        </div>
        <TextField ctx={frame.ctx} name="nameAr" label={t('orgs.name_ar')} value={values.nameAr} required error={err('nameAr')} />
        <TextField ctx={frame.ctx} name="nameFr" label={t('orgs.name_fr')} value={values.nameFr} required error={err('nameFr')} />
        <TextField ctx={frame.ctx} name="nameEn" label={t('orgs.name_en')} value={values.nameEn} required error={err('nameEn')} />
        <TextField ctx={frame.ctx} name="nameZgh" label={t('orgs.name_zgh')} value={values.nameZgh} error={err('nameZgh')} />
        <button class="button" type="submit">{t('orgs.submit')}</button>
      </form>
    </StaffLayout>
  );
}

export function OrganisationCreatedPage({ frame, slug, recoveryKey }: { frame: StaffFrame; slug: string; recoveryKey: string }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('orgs.created.title')}>
      <h1>{t('orgs.created.title')}</h1>
      <p dir="ltr"><strong>{slug}</strong></p>
      <p>{t('orgs.created.text')}</p>
      <p class="codes" id="recovery-key">{recoveryKey}</p>
      <p><a class="button" href={`/${locale}/staff/organisations`}>{t('orgs.created.back')}</a></p>
    </StaffLayout>
  );
}
