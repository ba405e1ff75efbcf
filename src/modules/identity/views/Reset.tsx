import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export function ResetRequest({ ctx, csrfToken, sent }: { ctx: PageContext; csrfToken: string; sent?: boolean }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <h1>{t('reset.title')}</h1>
      {sent ? <p class="notice" role="status">{t('reset.sent')}</p> : (
        <>
          <p>{t('reset.intro')}</p>
          <form method="post" action={`/${locale}/staff/password-reset`} novalidate>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <TextField ctx={ctx} name="email" type="email" label={t('signin.email')} autocomplete="username" required ltr />
            <button class="button" type="submit">{t('reset.submit')}</button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function ResetForm({ ctx, csrfToken, token, errors = [] }: { ctx: PageContext; csrfToken: string; token: string; errors?: ShownError[] }) {
  const { t, locale } = ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <Layout ctx={ctx} title={t('reset.new.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('reset.new.title')}</h1>
      <p>{t('reset.new.intro')}</p>
      <form method="post" action={`/${locale}/staff/password-reset/new`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="token" value={token} />
        <TextField ctx={ctx} name="recoveryCode" label={t('reset.recovery_code')} autocomplete="off" required ltr error={err('recoveryCode')} />
        <TextField ctx={ctx} name="password" type="password" label={t('account.password.new')} hint={t('activate.password.hint')} autocomplete="new-password" required error={err('password')} />
        <TextField ctx={ctx} name="confirm" type="password" label={t('activate.confirm')} autocomplete="new-password" required error={err('confirm')} />
        <button class="button" type="submit">{t('reset.new.submit')}</button>
      </form>
    </Layout>
  );
}
