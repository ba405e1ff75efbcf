import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { FieldError } from '../../../web/components/ErrorSummary.js';
import { Radios } from '../../../web/components/Radios.js';
import { TextField } from '../../../web/components/TextField.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Attachment } from '../attachments/service.js';
import type { Notice, ReporterView, ShownMessage } from '../service.js';

/** The exchange on a report, oldest first; `from` is the key prefix naming each author for this reader. */
export function MessageList({ ctx, messages, from }: { ctx: PageContext; messages: ShownMessage[]; from: string }) {
  if (messages.length === 0) return <p>{ctx.t('followup.messages.none')}</p>;
  return (
    <ol class="messages">
      {messages.map((m) => (
        <li class={`message message-${m.author}`}>
          <p class="message-meta">{ctx.t(`${from}.${m.author}`, { day: m.day })}</p>
          {m.author === 'notice' ? <NoticeText ctx={ctx} notice={m.notice} /> : <p dir="auto" class="message-body">{m.body}</p>}
        </li>
      ))}
    </ol>
  );
}

const size = (ctx: PageContext, bytes: number) =>
  bytes < 1024 * 1024 ? ctx.t('attachments.size.kb', { n: Math.max(1, Math.round(bytes / 1024)) }) : ctx.t('attachments.size.mb', { n: Math.round(bytes / 104857.6) / 10 });

/**
 * Files of a report; `href` makes each one a download link and `originalHref` links a kept original
 * (staff: the reporter already knows from the upload hint whether originals are kept).
 */
export function AttachmentList({ ctx, attachments, href, originalHref }: { ctx: PageContext; attachments: Attachment[]; href?: (a: Attachment) => string; originalHref?: (a: Attachment) => string }) {
  if (attachments.length === 0) return <p>{ctx.t('attachments.empty')}</p>;
  return (
    <ul class="attachments">
      {attachments.map((a) => (
        <li>
          {href ? <a href={href(a)} download><bdi>{a.name}</bdi></a> : <bdi>{a.name}</bdi>}
          {' · '}{size(ctx, a.size)}{' · '}{ctx.t(`attachments.from.${a.author}`, { day: a.createdDay })}
          {a.stripped.length > 0 && <> · {ctx.t('attachments.stripped')}</>}
          {a.original && originalHref && (
            <> · {ctx.t('attachments.original')} (<a href={originalHref(a)} download>{ctx.t('attachments.original.download')}<span class="visually-hidden"> <bdi>{a.name}</bdi></span></a>)</>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * A file form that works without JavaScript; the CSRF token rides in the URL (the body is a stream).
 * `keepsOriginals`: the channel keeps untouched originals, which the person adding files must know.
 */
export function UploadForm({ ctx, action, csrfToken, error, maxMb, keepsOriginals = false }: { ctx: PageContext; action: string; csrfToken: string; error?: string | undefined; maxMb: number; keepsOriginals?: boolean }) {
  return (
    <form method="post" action={`${action}?_csrf=${encodeURIComponent(csrfToken)}`} enctype="multipart/form-data" novalidate>
      <div class={`field${error ? ' has-error' : ''}`}>
        <label for="files">{ctx.t('attachments.choose')}</label>
        <span class="hint" id="files-hint">{ctx.t(keepsOriginals ? 'attachments.hint.originals' : 'attachments.hint', { max: maxMb })}</span>
        <FieldError ctx={ctx} id="files-error" message={error} />
        <input class="input" type="file" id="files" name="files" multiple aria-describedby={error ? 'files-hint files-error' : 'files-hint'} />
      </div>
      <button class="button" type="submit">{ctx.t('attachments.submit')}</button>
    </form>
  );
}

/** A portal notice in the reader's language; an institution's own text is shown as written. */
export function NoticeText({ ctx, notice }: { ctx: PageContext; notice: Notice }) {
  const pick = (m: Record<string, string> | undefined) => m && (m[ctx.locale] ?? m.fr ?? Object.values(m)[0] ?? '');
  const own = pick(notice.text);
  return (
    <>
      <p class="message-body">{ctx.t(notice.key, {
        ...notice.values, institution: pick(notice.institution) ?? '',
        ...(notice.values.outcome ? { outcome: ctx.t(`case.outcome.${notice.values.outcome}`) } : {}),
      })}</p>
      {own && <p dir="auto" class="message-body">{own}</p>}
    </>
  );
}

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

export function FollowUpReport({ ctx, csrfToken, view, answers, error, protectionError, fileError, added, maxMb, keepsOriginals }: {
  ctx: PageContext; csrfToken: string; view: ReporterView; answers: { label: string; value: string }[]; error?: string | undefined; protectionError?: string | undefined;
  fileError?: string | undefined; added?: number | undefined; maxMb: number; keepsOriginals: boolean;
}) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('followup.report.title')} hasErrors={!!error || !!protectionError || !!fileError}>
      <ErrorSummary ctx={ctx} errors={[
        ...(error ? [{ field: 'message', message: error }] : []), ...(protectionError ? [{ field: 'details', message: protectionError }] : []), ...(fileError ? [{ field: 'files', message: fileError }] : []),
      ]} />
      <h1>{t('followup.report.title')}</h1>
      <p>{t('followup.status', { status: t(`case.status.${view.status}`) })}{view.outcome && <> — {t(`case.outcome.${view.outcome}`)}</>}</p>
      <p>{t('followup.sent_on', { day: view.createdDay, updated: view.updatedDay })}</p>
      {view.status === 'received' && <p>{t('followup.ack_by', { day: view.ackDueDay })}</p>}
      <h2>{t('followup.messages')}</h2>
      <MessageList ctx={ctx} messages={view.messages} from="followup.from" />
      <form method="post" action={`/${locale}/follow-up/reply`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <div class={`field${error ? ' has-error' : ''}`}>
          <label for="message">{t('followup.reply')}</label>
          <FieldError ctx={ctx} id="message-error" message={error} />
          <textarea id="message" name="message" class="input" rows={5} dir="auto" aria-describedby={error ? 'message-error' : undefined} />
        </div>
        <button class="button" type="submit">{t('followup.reply.submit')}</button>
      </form>
      <h2 id="attachments">{t('attachments.title')}</h2>
      {added !== undefined && <p class="notice" role="status">{t('attachments.added', { count: added })}</p>}
      <AttachmentList ctx={ctx} attachments={view.attachments} />
      <UploadForm ctx={ctx} action={`/${locale}/follow-up/attachments`} csrfToken={csrfToken} error={fileError} maxMb={maxMb} keepsOriginals={keepsOriginals} />
      <h2 id="protection">{t('followup.protection.title')}</h2>
      <p>{t('followup.protection.text')}</p>
      {view.protection.length > 0 && (
        <ul class="protection">
          {view.protection.map((p) => (
            <li>
              <p><strong>{t(`protection.kind.${p.kind}`)}</strong> · {p.day} · {t(`protection.status.${p.status}`)}</p>
              <p dir="auto">{p.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/${locale}/follow-up/protection`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <Radios ctx={ctx} name="kind" legend={t('followup.protection.kind')} value="protection"
          options={[{ value: 'protection', label: t('followup.protection.ask') }, { value: 'reprisal', label: t('followup.protection.reprisal') }]} />
        <div class={`field${protectionError ? ' has-error' : ''}`}>
          <label for="details">{t('followup.protection.details')}</label>
          <FieldError ctx={ctx} id="details-error" message={protectionError} />
          <textarea id="details" name="details" class="input" rows={4} dir="auto" aria-describedby={protectionError ? 'details-error' : undefined} />
        </div>
        <button class="button" type="submit">{t('followup.protection.submit')}</button>
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
