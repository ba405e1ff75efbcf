import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export interface SignInProps { ctx: PageContext; csrfToken: string; next: string; email?: string; errors?: ShownError[]; signedOut?: boolean; reset?: boolean }

export function SignIn({ ctx, csrfToken, next, email, errors = [], signedOut, reset }: SignInProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('signin.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {signedOut && <p class="notice" role="status">{t('signin.signed_out')}</p>}
      {reset && <p class="notice" role="status">{t('reset.done')}</p>}
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      <form method="post" action={`/${locale}/staff/sign-in`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="next" value={next} />
        <TextField ctx={ctx} name="email" type="email" label={t('signin.email')} value={email} autocomplete="username" required ltr
          error={errors.find((e) => e.field === 'email')?.message} />
        <TextField ctx={ctx} name="password" type="password" label={t('signin.password')} autocomplete="current-password" required />
        <TextField ctx={ctx} name="code" label={t('signin.code')} hint={t('signin.code.hint')} autocomplete="one-time-code" inputmode="numeric" required ltr />
        <button class="button" type="submit">{t('signin.submit')}</button>
      </form>
      <p><a href={`/${locale}/staff/password-reset`}>{t('signin.forgot')}</a></p>
    </Layout>
  );
}
