import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { FieldError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { ReporterView } from '../service.js';

export function FollowUpSignIn({ ctx, csrfToken, errors = [], closed }: { ctx: PageContext; csrfToken: string; errors?: ShownError[]; closed?: boolean }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('followup.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {closed && <p class="notice" role="status">{t('followup.closed')}</p>}
      <h1>{t('followup.title')}</h1>
      <form method="post" action={`/${locale}/follow-up`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <TextField ctx={ctx} name="receipt" label={t('followup.receipt')} hint={t('followup.receipt.hint')} autocomplete="off" required ltr error={errors[0]?.message} />
        <button class="button" type="submit">{t('followup.submit')}</button>
      </form>
    </Layout>
  );
}

export function FollowUpReport({ ctx, csrfToken, view, answers, error }: { ctx: PageContext; csrfToken: string; view: ReporterView; answers: { label: string; value: string }[]; error?: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('followup.report.title')} hasErrors={!!error}>
      <ErrorSummary ctx={ctx} errors={error ? [{ field: 'message', message: error }] : []} />
      <h1>{t('followup.report.title')}</h1>
      <p>{t('followup.status', { status: t(`followup.status.${view.status === 'received' ? 'received' : 'received'}`) })}</p>
      <p>{t('followup.sent_on', { day: view.createdDay, updated: view.updatedDay })}</p>
      <h2>{t('followup.messages')}</h2>
      {view.messages.length === 0 ? <p>{t('followup.messages.none')}</p> : (
        <ol class="messages">
          {view.messages.map((m) => (
            <li class={`message message-${m.author}`}>
              <p class="message-meta">{t(`followup.from.${m.author}`, { day: m.day })}</p>
              <p dir="auto" class="message-body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form method="post" action={`/${locale}/follow-up/reply`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <div class={`field${error ? ' has-error' : ''}`}>
          <label for="message">{t('followup.reply')}</label>
          <FieldError ctx={ctx} id="message-error" message={error} />
          <textarea id="message" name="message" class="input" rows={5} dir="auto" aria-describedby={error ? 'message-error' : undefined} />
        </div>
        <button class="button" type="submit">{t('followup.reply.submit')}</button>
      </form>
      <h2>{t('followup.answers')}</h2>
      <dl class="summary">{answers.map((a) => <div class="summary-row"><dt>{a.label}</dt><dd dir="auto">{a.value}</dd></div>)}</dl>
      <form method="post" action={`/${locale}/follow-up/sign-out`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button class="link-button" type="submit">{t('followup.sign_out')}</button>
      </form>
    </Layout>
  );
}
