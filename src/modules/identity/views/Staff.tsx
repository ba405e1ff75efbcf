import type { ComponentChildren } from 'preact';
import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { canDecideCustody, canSeeCases, canSeeCaseStatistics } from '../../cases/policy.js';
import { canEditQuestionnaires, canRegisterReports } from '../../reports/policy.js';
import { canManageUsers, canViewAudit, isPlatformAdmin } from '../policy.js';
import type { ResolvedSession } from '../service.js';

export interface StaffFrame { ctx: PageContext; session: ResolvedSession; csrfToken: string }

/** The staff area's frame: who is signed in, and the way out. */
export function StaffLayout({ frame, title, hasErrors, children }: { frame: StaffFrame; title: string; hasErrors?: boolean; children: ComponentChildren }) {
  const { ctx, session, csrfToken } = frame;
  const { t, locale } = ctx;
  const org = session.organisation;
  return (
    <Layout ctx={ctx} title={title} hasErrors={hasErrors}>
      <nav class="staff-nav" aria-label={t('staff.title')}>
        <a href={`/${locale}/staff`}>{t('staff.title')}</a>
        <a href={`/${locale}/staff/account`}>{t('staff.nav.account')}</a>
        {canSeeCases(session) && <a href={`/${locale}/staff/cases`}>{t('staff.nav.cases')}</a>}
        {canDecideCustody(session) && <a href={`/${locale}/staff/custody`}>{t('staff.nav.custody')}</a>}
        {canSeeCaseStatistics(session) && <a href={`/${locale}/staff/cases/statistics`}>{t('staff.nav.statistics')}</a>}
        {canRegisterReports(session) && <a href={`/${locale}/staff/reports/new`}>{t('staff.nav.register_report')}</a>}
        {canEditQuestionnaires(session) && <a href={`/${locale}/staff/questionnaires`}>{t('staff.nav.questionnaires')}</a>}
        {canManageUsers(session) && <a href={`/${locale}/staff/users`}>{t('staff.nav.users')}</a>}
        {canManageUsers(session) && session.user.organisation_id && <a href={`/${locale}/staff/keys`}>{t('staff.nav.keys')}</a>}
        {canViewAudit(session) && <a href={`/${locale}/staff/audit`}>{t('staff.nav.audit')}</a>}
        {isPlatformAdmin(session) && <a href={`/${locale}/staff/organisations`}>{t('staff.nav.organisations')}</a>}
        {isPlatformAdmin(session) && <a href={`/${locale}/staff/holidays`}>{t('staff.nav.holidays')}</a>}
        {(session.roles.includes('publisher') || isPlatformAdmin(session)) && <a href={`/${locale}/staff/orientation`}>{t('staff.nav.rules')}</a>}
        <form method="post" action={`/${locale}/staff/sign-out`}>
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button class="link-button" type="submit">{t('staff.nav.sign_out')}</button>
        </form>
      </nav>
      <p>
        <bdi>{t('staff.signed_in_as', { name: session.user.display_name })}</bdi>
        {' · '}
        {org ? <bdi>{t('staff.organisation', { name: locale === 'zgh' ? org.name_zgh ?? org.name_fr : org[`name_${locale}`] })}</bdi> : t('staff.platform')}
      </p>
      {children}
    </Layout>
  );
}

export function StaffHome({ frame }: { frame: StaffFrame }) {
  const { t } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('staff.title')}>
      <h1>{t('staff.title')}</h1>
      <p>{t('staff.roles', { roles: frame.session.roles.join(', ') })}</p>
    </StaffLayout>
  );
}

export function Account({ frame, errors = [], done }: { frame: StaffFrame; errors?: ShownError[]; done?: boolean }) {
  const { t, locale } = frame.ctx;
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <StaffLayout frame={frame} title={t('account.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('account.title')}</h1>
      {done && <p class="notice" role="status">{t('account.password.done')}</p>}
      <h2>{t('account.password.title')}</h2>
      <form method="post" action={`/${locale}/staff/account/password`} novalidate>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <TextField ctx={frame.ctx} name="current" type="password" label={t('account.password.current')} autocomplete="current-password" required error={err('current')} />
        <TextField ctx={frame.ctx} name="password" type="password" label={t('account.password.new')} hint={t('activate.password.hint')} autocomplete="new-password" required error={err('password')} />
        <TextField ctx={frame.ctx} name="confirm" type="password" label={t('activate.confirm')} autocomplete="new-password" required error={err('confirm')} />
        <button class="button" type="submit">{t('account.password.submit')}</button>
      </form>
      <h2>{t('account.codes.title')}</h2>
      <p>{t('account.codes.text')}</p>
      <form method="post" action={`/${locale}/staff/account/recovery-codes`}>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <button class="button" type="submit">{t('account.codes.submit')}</button>
      </form>
      <h2>{t('account.everywhere.title')}</h2>
      <p>{t('account.everywhere.text')}</p>
      <form method="post" action={`/${locale}/staff/account/sign-out-everywhere`}>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <button class="button" type="submit">{t('account.everywhere.submit')}</button>
      </form>
    </StaffLayout>
  );
}
