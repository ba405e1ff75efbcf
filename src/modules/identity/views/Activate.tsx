import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { QrCode } from '../../../web/components/QrCode.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export interface ActivateProps {
  ctx: PageContext; csrfToken: string; token: string; name: string;
  otpauth: string; totpKey: string; pendingTotp: string; errors?: ShownError[];
}

export function Activate({ ctx, csrfToken, token, name, otpauth, totpKey, pendingTotp, errors = [] }: ActivateProps) {
  const { t, locale } = ctx;
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={t('activate.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('activate.title')}</h1>
      <p><bdi>{t('activate.intro', { name })}</bdi></p>
      <form method="post" action={`/${locale}/staff/activate`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="pending" value={pendingTotp} />
        <TextField ctx={ctx} name="password" type="password" label={t('signin.password')} hint={t('activate.password.hint')} autocomplete="new-password" required error={err('password')} />
        <TextField ctx={ctx} name="confirm" type="password" label={t('activate.confirm')} autocomplete="new-password" required error={err('confirm')} />
        <h2>{t('activate.totp.title')}</h2>
        <p>{t('activate.totp.text')}</p>
        <QrCode data={otpauth} label={t('activate.totp.qr')} />
        <p>{t('activate.totp.key')}: <code dir="ltr" id="totp-key">{totpKey}</code></p>
        <TextField ctx={ctx} name="code" label={t('signin.code')} autocomplete="one-time-code" inputmode="numeric" required ltr error={err('code')} />
        <button class="button" type="submit">{t('activate.submit')}</button>
      </form>
    </Layout>
  );
}

export function ActivationExpired({ ctx }: { ctx: PageContext }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('activate.expired.title')}>
      <h1>{t('activate.expired.title')}</h1>
      <p>{t('activate.expired.text')}</p>
      <p><a href={`/${locale}/`}>{t('errors.back_home')}</a></p>
    </Layout>
  );
}

export function RecoveryCodes({ ctx, codes, next }: { ctx: PageContext; codes: string[]; next?: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('activate.done.title')}>
      <h1>{t('activate.done.title')}</h1>
      <p>{t('activate.done.text')}</p>
      <ol class="codes" id="recovery-codes">{codes.map((c) => <li>{c}</li>)}</ol>
      <p><a class="button" href={next ?? `/${locale}/staff/sign-in`}>{t('activate.done.next')}</a></p>
    </Layout>
  );
}
