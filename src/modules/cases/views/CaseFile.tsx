// The printable case file inside an export ZIP: one self-contained HTML document in the exporter's
// language. It is opened from disk, far from the portal, so it carries its own styles (system fonts,
// print layout with page breaks), loads nothing, and forbids scripts and every request with its own
// Content-Security-Policy. User-entered text keeps dir="auto".
import crypto from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Attachment } from '../../reports/attachments/service.js';
import type { AnswerRow } from '../../reports/channels.js';
import { MessageList } from '../../reports/views/FollowUp.js';
import type { PageContext } from '../../../web/context.js';
import { type Locale, localeInfo, MissingMessageError, translator } from '../../../web/i18n.js';
import type { CaseView } from '../service.js';

export interface CaseFileNames {
  channel: string;
  region: string | null;
  organisations: Map<number, string>;
  /** Staff of the institution and its offices; others are named by their organisation only. */
  people: Map<number, string>;
  answers: AnswerRow[];
}

export interface ExportedFile extends Attachment {
  number: number;
  /** Its path inside the ZIP. */
  path: string;
  /** Bytes as exported (decrypted), which the SHA-256 covers. */
  bytes: number;
  sha256: string;
}

export interface CaseFileProps {
  locale: Locale;
  view: CaseView;
  names: CaseFileNames;
  files: ExportedFile[];
  exporter: { id: number; name: string };
  /** ISO 8601, UTC. */
  exportedAt: string;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Tifinagh", "DejaVu Sans", Arial, sans-serif; line-height: 1.5; color: #111; background: #fff; max-inline-size: 52rem; margin: 2rem auto; padding-inline: 1rem; }
html[lang="ar"] body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.6rem; margin-block: 0 .5rem; }
h2 { font-size: 1.2rem; border-block-end: 1px solid #888; padding-block-end: .2rem; margin-block: 2rem .75rem; break-after: avoid; }
h3 { font-size: 1rem; margin-block: 1rem .25rem; break-after: avoid; }
.confidential { border: 2px solid #111; padding: .5rem .75rem; font-weight: bold; }
dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .2rem 1rem; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
ol, ul { padding-inline-start: 1.5rem; }
.messages { list-style: none; padding: 0; }
.message, .item { border-inline-start: 3px solid #888; padding-inline-start: .75rem; margin-block: .75rem; break-inside: avoid; }
.message-reporter { border-inline-start-color: #1a5fb4; }
.message-staff { border-inline-start-color: #26a269; }
.message-notice { border-inline-start-style: dashed; }
.message-meta { font-size: .9em; color: #444; margin-block: 0; }
.message-body { white-space: pre-wrap; overflow-wrap: anywhere; margin-block: .25rem; }
table { border-collapse: collapse; inline-size: 100%; font-size: .9em; }
th, td { border: 1px solid #888; padding: .25rem .4rem; text-align: start; vertical-align: top; overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.hash { font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: .85em; }
footer { border-block-start: 1px solid #888; margin-block-start: 2.5rem; padding-block-start: .5rem; font-size: .9em; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-inline-size: none; margin: 0; padding: 0; font-size: 10.5pt; }
  .new-page { break-before: page; }
}
`;

/** The stylesheet is the document's only inline content; its hash is the only style its CSP allows. */
const CSP = `default-src 'none'; style-src 'sha256-${crypto.createHash('sha256').update(CSS).digest('base64')}'; base-uri 'none'; form-action 'none'`;

export function CaseFile({ locale, view, names, files, exporter, exportedAt }: CaseFileProps) {
  const t = translator(locale);
  const ctx: PageContext = { locale, t, nonce: '', rest: '/' };
  // An event kind added later without a message must not make the export fail.
  const tOr = (key: string, fallback: string, values?: Record<string, string>) => {
    try {
      return t(key, values);
    } catch (err) {
      if (err instanceof MissingMessageError) return fallback;
      throw err;
    }
  };
  const person = (id: number | null, organisationId?: number) =>
    (id !== null && names.people.get(id)) || (organisationId !== undefined ? t('export.staff_of', { organisation: names.organisations.get(organisationId) ?? String(organisationId) }) : '—');
  const org = (id: unknown) => (id === null || id === undefined ? t('case.office.none') : names.organisations.get(Number(id)) ?? String(id));
  const number = new Intl.NumberFormat(localeInfo[locale].intl);
  const time = `${exportedAt.slice(0, 10)} ${exportedAt.slice(11, 19)} UTC`;
  const status = t(`case.status.${view.status}`) + (view.outcome ? ` — ${t(`case.outcome.${view.outcome}`)}` : '');
  const row = (label: string, value: ComponentChildren) => <><dt>{label}</dt><dd>{value}</dd></>;

  const eventDetail = (e: CaseView['events'][number]): string | null => {
    const d = e.details;
    if (e.kind === 'status' && typeof d.to === 'string') {
      const change = t('export.event.status', { from: tOr(`case.status.${String(d.from)}`, String(d.from)), to: tOr(`case.status.${d.to}`, d.to) });
      return d.outcome ? `${change} — ${tOr(`case.outcome.${String(d.outcome)}`, String(d.outcome))}` : change;
    }
    if (e.kind === 'transfer') return t('export.event.transfer', { from: org(d.from), to: org(d.to) });
    if (e.kind === 'assignment') {
      const parts = [];
      if ('handler' in d) parts.push(t('export.event.handler', { name: d.handler === null ? t('cases.unassigned') : person(Number(d.handler)) }));
      if ('office' in d) parts.push(t('export.event.office', { name: org(d.office) }));
      return parts.join(' · ') || null;
    }
    if (e.kind === 'labels' && typeof d.labels === 'string') return d.labels || '—';
    return null;
  };

  return (
    <html lang={locale} dir={localeInfo[locale].dir}>
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content={CSP} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{t('export.title', { id: view.id })}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <header>
          <h1>{t('export.title', { id: view.id })}</h1>
          <p class="confidential">{t('export.confidential')}</p>
        </header>

        <section>
          <h2>{t('export.summary')}</h2>
          <dl>
            {row(t('export.case_number'), view.id)}
            {row(t('export.institution'), <bdi>{names.organisations.get(view.organisationId) ?? view.organisationId}</bdi>)}
            {view.officeId !== null && row(t('case.office'), <bdi>{org(view.officeId)}</bdi>)}
            {row(t('cases.col.channel'), <bdi>{names.channel}</bdi>)}
            {row(t('export.region'), names.region ?? '—')}
            {row(t('cases.col.status'), status)}
            {row(t('cases.col.handler'), view.handlerId !== null ? <bdi>{person(view.handlerId)}</bdi> : t('cases.unassigned'))}
            {row(t('case.labels'), <span dir="ltr">{view.labels.join(', ') || '—'}</span>)}
            {row(t('cases.col.received'), view.receivedDay)}
            {row(t('case.ack_due'), view.ackDueDay)}
            {row(t('export.acknowledged_on'), view.acknowledgedDay ?? '—')}
            {row(t('case.feedback_due'), view.feedbackDueDay)}
            {row(t('export.closed_on'), view.closedDay ?? '—')}
            {row(t('case.identity'), view.hasIdentity ? t('case.identity.sealed') : t('case.identity.anonymous'))}
          </dl>
          <p>{t('export.identity_left_out')}</p>
        </section>

        <section>
          <h2>{t('case.report')}</h2>
          {names.answers.length === 0 ? <p>—</p> : <dl>{names.answers.map((a) => row(a.label, <span dir="auto">{a.value}</span>))}</dl>}
        </section>

        <section>
          <h2>{t('attachments.title')}</h2>
          {files.length === 0 ? <p>{t('export.attachments.none')}</p> : (
            <>
              <p>{t('export.attachments.text')}</p>
              <table>
                <thead><tr>
                  <th scope="col">{t('export.attachments.number')}</th><th scope="col">{t('export.attachments.file')}</th>
                  <th scope="col">{t('export.attachments.details')}</th><th scope="col">SHA-256</th>
                </tr></thead>
                <tbody>
                  {files.map((f) => (
                    <tr>
                      <td>{f.number}</td>
                      <td><bdi dir="ltr">{f.path}</bdi><br />{t('export.attachments.original')} <bdi dir="auto">{f.name}</bdi></td>
                      <td>
                        <span dir="ltr">{f.mime}</span>{' · '}{t('export.attachments.bytes', { n: number.format(f.bytes) })}<br />
                        {t(`attachments.from.${f.author}`, { day: f.createdDay })}<br />
                        {t('export.attachments.stripped')} <span dir="ltr">{f.stripped.join(', ') || '—'}</span>
                      </td>
                      <td class="hash" dir="ltr">{f.sha256}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>

        <section class="new-page">
          <h2>{t('case.messages')}</h2>
          <MessageList ctx={ctx} messages={view.messages} from="case.from" />
        </section>

        <section>
          <h2>{t('case.notes')}</h2>
          {view.notes.length === 0 ? <p>{t('case.notes.none')}</p> : (
            <ol class="messages">
              {view.notes.map((n) => <li class="message"><p class="message-meta"><bdi>{person(n.authorId)}</bdi> · {n.day}</p><p dir="auto" class="message-body">{n.body}</p></li>)}
            </ol>
          )}
        </section>

        <section>
          <h2>{t('case.protection')}</h2>
          {view.protection.length === 0 ? <p>{t('case.protection.none')}</p> : view.protection.map((p) => (
            <div class="item">
              <p class="message-meta"><strong>{t(`protection.kind.${p.kind}`)}</strong> · {p.day} · {t(`protection.status.${p.status}`)}{p.followUpDay && <> · {t('protection.follow_up', { day: p.followUpDay })}</>}</p>
              <p dir="auto" class="message-body">{p.body}</p>
            </div>
          ))}
        </section>

        <section>
          <h2>{t('case.custody')}</h2>
          {view.custody.length === 0 ? <p>{t('export.custody.none')}</p> : view.custody.map((r) => (
            <div class="item">
              <h3>{t(`case.custody.status.${r.status}`, { day: r.requestedDay })}</h3>
              <dl>
                {row(t('export.custody.requester'), <bdi>{person(r.requesterId)}</bdi>)}
                {row(t('export.custody.reason'), <span dir="auto">{r.reason}</span>)}
                {r.decidedDay && row(t('export.custody.decided_on'), r.decidedDay)}
                {r.decision !== null && row(t('export.custody.decision'), <span dir="auto">{r.decision}</span>)}
                {r.legalException && row(t('export.custody.legal_exception'), t('export.custody.legal_exception.text'))}
              </dl>
            </div>
          ))}
        </section>

        <section class="new-page">
          <h2>{t('case.history')}</h2>
          {view.events.length === 0 ? <p>{t('export.history.none')}</p> : (
            <ol>
              {view.events.map((e) => {
                const detail = eventDetail(e);
                return <li>{e.day} · {tOr(`case.event.${e.kind}`, e.kind)}{detail && <> · <bdi>{detail}</bdi></>} · <bdi>{person(e.actorId, e.organisationId)}</bdi></li>;
              })}
            </ol>
          )}
        </section>

        <footer>
          <dl>
            {row(t('export.exported_at'), <span dir="ltr">{time}</span>)}
            {row(t('export.exported_by'), <><bdi>{exporter.name}</bdi> ({t('export.user', { id: exporter.id })})</>)}
          </dl>
          <p>{t('export.footer.hashes')}</p>
          <p>{t('export.identity_left_out')}</p>
        </footer>
      </body>
    </html>
  );
}

/** The case file as the bytes that go into the ZIP (and that its SHA-256 covers). */
export const caseFileHtml = (props: CaseFileProps): Buffer => Buffer.from(`<!doctype html>${renderToString(<CaseFile {...props} />)}`);
