import { Select } from '../../../web/components/Select.js';
import { ErrorSummary, FieldError, type ShownError } from '../../../web/components/ErrorSummary.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import { AttachmentList, MessageList, UploadForm } from '../../reports/views/FollowUp.js';
import { canExportCases } from '../policy.js';
import type { CaseView, InboxItem, InboxQuery } from '../service.js';
import { nextStatuses, outcomes, statuses } from '../service.js';
import { RetentionSection, type RetentionSectionProps } from './Retention.js';

export interface Names {
  channels: Map<number, string>;
  people: Map<number, string>;
  offices: Map<number, string>;
  regions: Map<string, string>;
  organisations: Map<number, string>;
}


const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function InboxPage({ frame, query, result, names, canTakeOver, takeOverDone }: {
  frame: StaffFrame; query: InboxQuery; result: { items: InboxItem[]; total: number; page: number; pages: number }; names: Names; canTakeOver: boolean; takeOverDone?: number | undefined;
}) {
  const { t, locale } = frame.ctx;
  const pageLink = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: query.status, channel: query.channelId, region: query.region, handler: query.handler, overdue: query.overdue ? 'true' : undefined, label: query.label, deletion: query.deletion, sort: query.sort })) if (v !== undefined && v !== '') p.set(k, String(v));
    p.set('page', String(page));
    return `/${locale}/staff/cases?${p.toString()}`;
  };
  return (
    <StaffLayout frame={frame} title={t('cases.title')}>
      <h1>{t('cases.title')}</h1>
      <p><a href={`/${locale}/staff/cases/overdue`}>{t('overdue.title')}</a></p>
      {takeOverDone !== undefined && <p class="notice" role="status">{t('cases.takeover.done', { count: takeOverDone })}</p>}
      <form method="get" action={`/${locale}/staff/cases`} class="filters">
        <Select ctx={frame.ctx} name="status" label={t('cases.filter.status')} blank={t('cases.filter.any')} value={query.status} options={statuses.map((s) => ({ value: s, label: t(`case.status.${s}`) }))} />
        <Select ctx={frame.ctx} name="channel" label={t('cases.filter.channel')} blank={t('cases.filter.any')} value={query.channelId?.toString()} options={[...names.channels].map(([id, n]) => ({ value: String(id), label: n }))} />
        <Select ctx={frame.ctx} name="region" label={t('cases.filter.region')} blank={t('cases.filter.any')} value={query.region} options={[...names.regions].map(([code, n]) => ({ value: code, label: n }))} />
        <Select ctx={frame.ctx} name="handler" label={t('cases.filter.handler')} blank={t('cases.filter.any')} value={query.handler?.toString()}
          options={[{ value: 'me', label: t('cases.filter.me') }, { value: 'none', label: t('cases.filter.unassigned') }, ...[...names.people].map(([id, n]) => ({ value: String(id), label: n }))]} />
        <div class="field"><label for="label">{t('cases.filter.label')}</label><input class="input" id="label" name="label" value={query.label ?? ''} dir="ltr" /></div>
        <div class="choice"><input type="checkbox" id="overdue" name="overdue" value="true" checked={query.overdue} /><label for="overdue">{t('cases.filter.overdue')}</label></div>
        <Select ctx={frame.ctx} name="deletion" label={t('cases.filter.deletion')} blank={t('cases.filter.any')} value={query.deletion}
          options={[{ value: 'scheduled', label: t('cases.filter.deletion.scheduled') }, ...(query.deletion && query.deletion !== 'scheduled' ? [{ value: query.deletion, label: t('cases.filter.deletion.on', { day: query.deletion }) }] : [])]} />
        <Select ctx={frame.ctx} name="sort" label={t('cases.filter.sort')} value={query.sort ?? 'received-desc'}
          options={['received-desc', 'received', 'due'].map((s) => ({ value: s, label: t(`cases.sort.${s}`) }))} />
        <button class="button" type="submit">{t('cases.filter.submit')}</button>
      </form>
      <p role="status">{t('cases.count', { count: result.total })}</p>
      {result.items.length === 0 ? <p>{t('cases.empty')}</p> : (
        <div class="table-wrap">
          <table class="table">
            <thead><tr>
              <th scope="col">{t('cases.col.case')}</th><th scope="col">{t('cases.col.status')}</th><th scope="col">{t('cases.col.channel')}</th>
              <th scope="col">{t('cases.col.region')}</th><th scope="col">{t('cases.col.handler')}</th><th scope="col">{t('cases.col.received')}</th><th scope="col">{t('cases.col.due')}</th>
            </tr></thead>
            <tbody>
              {result.items.map((c) => (
                <tr>
                  <td><a href={`/${locale}/staff/cases/${c.id}`}>{t('cases.number', { id: c.id })}</a>{c.labels.length > 0 && <> <span class="labels" dir="ltr">{c.labels.join(', ')}</span></>}</td>
                  <td>{t(`case.status.${c.status}`)}{c.overdue && <> <strong class="overdue">{t('cases.overdue')}</strong></>}{c.legalHold && <> · {t('cases.legal_hold')}</>}{c.deletionDay && <> · {t('cases.deletion_on', { day: c.deletionDay })}</>}</td>
                  <td>{names.channels.get(c.channelId) ?? c.channelId}</td>
                  <td>{c.region ? names.regions.get(c.region) ?? c.region : '—'}</td>
                  <td>{c.handlerId ? <bdi>{names.people.get(c.handlerId) ?? c.handlerId}</bdi> : t('cases.unassigned')}{c.officeId && <> · <bdi>{names.offices.get(c.officeId) ?? ''}</bdi></>}</td>
                  <td>{c.receivedDay}</td>
                  <td>{c.status === 'closed' ? '—' : c.acknowledgedDay ? c.feedbackDueDay : c.ackDueDay}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.pages > 1 && (
        <nav class="pagination" aria-label={t('cases.pagination')}>
          {result.page > 1 && <a href={pageLink(result.page - 1)} rel="prev">{t('cases.previous')}</a>}
          <span>{t('cases.page', { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages && <a href={pageLink(result.page + 1)} rel="next">{t('cases.next')}</a>}
        </nav>
      )}
      {canTakeOver && (
        <>
          <h2>{t('cases.takeover.title')}</h2>
          <p>{t('cases.takeover.text')}</p>
          <form method="post" action={`/${locale}/staff/cases/take-over`}>
            <Csrf token={frame.csrfToken} />
            <Select ctx={frame.ctx} name="from" label={t('cases.takeover.from')} options={[...names.people].map(([id, n]) => ({ value: String(id), label: n }))} />
            <Select ctx={frame.ctx} name="to" label={t('cases.takeover.to')} options={[...names.people].map(([id, n]) => ({ value: String(id), label: n }))} />
            <button class="button" type="submit">{t('cases.takeover.submit')}</button>
          </form>
        </>
      )}
    </StaffLayout>
  );
}

export interface CasePageProps {
  frame: StaffFrame;
  view: CaseView;
  names: Names;
  answers: { label: string; value: string }[];
  transferTargets: { id: number; name: string }[];
  canDecide: boolean;
  errors?: ShownError[];
  done?: string | undefined;
  identity?: Record<string, string> | undefined;
  maxMb: number;
  /** Names of the channel's further deadlines, by id, in the page's language. */
  deadlineLabels: Record<string, string>;
  /** The case's channel keeps untouched originals of cleaned files. */
  keepsOriginals: boolean;
  retention?: RetentionSectionProps | undefined;
}

export function CasePage({ frame, view, names, answers, transferTargets, canDecide, errors = [], done, identity, maxMb, deadlineLabels, keepsOriginals, retention }: CasePageProps) {
  const { t, locale } = frame.ctx;
  const ctx = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const action = (what: string) => `/${locale}/staff/cases/${view.id}/${what}`;
  const next = nextStatuses(view.status);
  const me = frame.session.user.id;
  return (
    <StaffLayout frame={frame} title={t('case.title', { id: view.id })} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p><a href={`/${locale}/staff/cases`}>{t('case.back')}</a></p>
      <h1>{t('case.title', { id: view.id })}</h1>
      {done && <p class="notice" role="status">{t(`case.done.${done}`)}</p>}
      {canExportCases(frame.session) && <p><a href={action('export')} download aria-describedby="export-hint">{t('export.link')}</a> <span class="hint" id="export-hint">{t('export.link.hint')}</span></p>}
      <dl class="summary">
        <div class="summary-row"><dt>{t('cases.col.status')}</dt><dd>{t(`case.status.${view.status}`)}{view.outcome && <> — {t(`case.outcome.${view.outcome}`)}</>}{view.overdue && <> <strong class="overdue">{t('cases.overdue')}</strong></>}</dd></div>
        <div class="summary-row"><dt>{t('cases.col.channel')}</dt><dd>{names.channels.get(view.channelId) ?? view.channelId}</dd></div>
        <div class="summary-row"><dt>{t('cases.col.received')}</dt><dd>{view.receivedDay}</dd></div>
        <div class="summary-row"><dt>{t('case.ack_due')}</dt><dd>{view.acknowledgedDay ? t('case.acknowledged_on', { day: view.acknowledgedDay }) : view.ackDueDay}</dd></div>
        <div class="summary-row"><dt>{t('case.feedback_due')}</dt><dd>{view.feedbackDueDay}</dd></div>
        {view.otherDeadlines.map((d) => (
          <div class="summary-row">
            <dt>{deadlineLabels[d.id] ?? d.id}</dt>
            <dd>
              {d.metDay ? t('case.deadline.met', { day: d.metDay }) : t('case.deadline.due', { day: d.dueDay })}
              {!d.metDay && view.status !== 'closed' && (
                <form method="post" action={action(`deadlines/${d.id}`)} class="inline-form">
                  <Csrf token={frame.csrfToken} />
                  <button class="link-button" type="submit">{t('case.deadline.mark')}<span class="visually-hidden"> {deadlineLabels[d.id] ?? d.id}</span></button>
                </form>
              )}
            </dd>
          </div>
        ))}
        <div class="summary-row"><dt>{t('cases.col.handler')}</dt><dd>{view.handlerId ? <bdi>{names.people.get(view.handlerId) ?? view.handlerId}</bdi> : t('cases.unassigned')}{view.officeId && <> · <bdi>{names.offices.get(view.officeId)}</bdi></>}</dd></div>
        <div class="summary-row"><dt>{t('case.labels')}</dt><dd dir="ltr">{view.labels.join(', ') || '—'}</dd></div>
        <div class="summary-row"><dt>{t('case.identity')}</dt><dd>{view.hasIdentity ? t('case.identity.sealed') : t('case.identity.anonymous')}</dd></div>
      </dl>

      <h2>{t('case.report')}</h2>
      <dl class="summary">{answers.map((a) => <div class="summary-row"><dt>{a.label}</dt><dd dir="auto">{a.value}</dd></div>)}</dl>

      <h2 id="attachments">{t('attachments.title')}</h2>
      <AttachmentList ctx={ctx} attachments={view.attachments} href={(a) => action(`attachments/${a.id}`)} originalHref={(a) => action(`attachments/${a.id}/original`)} />
      {view.status !== 'closed' && <UploadForm ctx={ctx} action={action('attachments')} csrfToken={frame.csrfToken} error={err('files')} maxMb={maxMb} keepsOriginals={keepsOriginals} />}

      <h2>{t('case.messages')}</h2>
      <MessageList ctx={ctx} messages={view.messages} from="case.from" />
      {view.status !== 'closed' && (
        <form method="post" action={action('messages')} novalidate>
          <Csrf token={frame.csrfToken} />
          <div class={`field${err('body') ? ' has-error' : ''}`}>
            <label for="body">{t('case.message.label')}</label>
            <span class="hint" id="body-hint">{t('case.message.hint')}</span>
            <FieldError ctx={ctx} id="body-error" message={err('body')} />
            <textarea id="body" name="body" class="input" rows={5} dir="auto" aria-describedby={err('body') ? 'body-hint body-error' : 'body-hint'} />
          </div>
          <button class="button" type="submit">{t('case.message.submit')}</button>
        </form>
      )}

      {next.length > 0 && (
        <>
          <h2>{t('case.status.change')}</h2>
          <form method="post" action={action('status')} novalidate>
            <Csrf token={frame.csrfToken} />
            <Select ctx={ctx} name="status" label={t('case.status.next')} error={err('status')} options={next.map((s) => ({ value: s, label: t(`case.status.${s}`) }))} />
            <Select ctx={ctx} name="outcome" label={t('case.outcome.label')} blank={t('case.outcome.none')} error={err('outcome')} options={outcomes.map((o) => ({ value: o, label: t(`case.outcome.${o}`) }))} />
            <button class="button" type="submit">{t('case.status.submit')}</button>
          </form>
        </>
      )}

      <h2>{t('case.notes')}</h2>
      {view.notes.length === 0 ? <p>{t('case.notes.none')}</p> : (
        <ol class="messages">{view.notes.map((n) => <li class="message"><p class="message-meta"><bdi>{names.people.get(n.authorId ?? 0) ?? ''}</bdi> · {n.day}</p><p dir="auto" class="message-body">{n.body}</p></li>)}</ol>
      )}
      <form method="post" action={action('notes')} novalidate>
        <Csrf token={frame.csrfToken} />
        <div class={`field${err('note') ? ' has-error' : ''}`}>
          <label for="note">{t('case.notes.label')}</label>
          <FieldError ctx={ctx} id="note-error" message={err('note')} />
          <textarea id="note" name="note" class="input" rows={3} dir="auto" aria-describedby={err('note') ? 'note-error' : undefined} />
        </div>
        <button class="button" type="submit">{t('case.notes.submit')}</button>
      </form>

      {view.status !== 'closed' && (
        <>
          <h2>{t('case.assign')}</h2>
          <form method="post" action={action('assignment')} novalidate>
            <Csrf token={frame.csrfToken} />
            <Select ctx={ctx} name="handler" label={t('cases.col.handler')} blank={t('cases.unassigned')} value={view.handlerId?.toString()} error={err('handler')} options={[...names.people].map(([id, n]) => ({ value: String(id), label: n }))} />
            {names.offices.size > 0 && <Select ctx={ctx} name="office" label={t('case.office')} blank={t('case.office.none')} value={view.officeId?.toString()} error={err('office')} options={[...names.offices].map(([id, n]) => ({ value: String(id), label: n }))} />}
            <button class="button" type="submit">{t('case.assign.submit')}</button>
          </form>
          <h2>{t('case.labels')}</h2>
          <form method="post" action={action('labels')} novalidate>
            <Csrf token={frame.csrfToken} />
            <div class={`field${err('labels') ? ' has-error' : ''}`}>
              <label for="labels">{t('case.labels.label')}</label>
              <span class="hint" id="labels-hint">{t('case.labels.hint')}</span>
              <FieldError ctx={ctx} id="labels-error" message={err('labels')} />
              <input class="input" id="labels" name="labels" dir="ltr" value={view.labels.join(', ')} aria-describedby={err('labels') ? 'labels-hint labels-error' : 'labels-hint'} />
            </div>
            <button class="button" type="submit">{t('case.labels.submit')}</button>
          </form>
        </>
      )}

      <h2 id="protection">{t('case.protection')}</h2>
      {view.protection.length === 0 ? <p>{t('case.protection.none')}</p> : (
        <ul class="protection">
          {view.protection.map((p) => (
            <li>
              <p><strong>{t(`protection.kind.${p.kind}`)}</strong> · {p.day} · {t(`protection.status.${p.status}`)}{p.followUpDay && <> · {t('protection.follow_up', { day: p.followUpDay })}</>}</p>
              <p dir="auto">{p.body}</p>
              <form method="post" action={action(`protection/${p.id}`)} class="inline-form" novalidate>
                <Csrf token={frame.csrfToken} />
                <FieldError ctx={ctx} id={`protection-${p.id}-error`} message={err(`protection-${p.id}`)} />
                <label for={`status-${p.id}`}>{t('cases.col.status')}</label>{' '}
                <select id={`status-${p.id}`} name="status" class="input">
                  {['open', 'in-place', 'closed'].map((st) => <option value={st} selected={st === p.status}>{t(`protection.status.${st}`)}</option>)}
                </select>{' '}
                <label for={`follow-${p.id}`}>{t('protection.follow_up.label')}</label>{' '}
                <input class="input" type="date" id={`follow-${p.id}`} name="followUpDay" value={p.followUpDay ?? ''} />{' '}
                <button class="button" type="submit">{t('protection.update')}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={action('protection')} novalidate>
        <Csrf token={frame.csrfToken} />
        <div class={`field${err('measure') ? ' has-error' : ''}`}>
          <label for="measure">{t('protection.measure.label')}</label>
          <span class="hint" id="measure-hint">{t('protection.measure.hint')}</span>
          <FieldError ctx={ctx} id="measure-error" message={err('measure')} />
          <textarea id="measure" name="measure" class="input" rows={3} dir="auto" aria-describedby={err('measure') ? 'measure-hint measure-error' : 'measure-hint'} />
        </div>
        <div class={`field${err('followUpDay') ? ' has-error' : ''}`}>
          <label for="followUpDay">{t('protection.follow_up.label')}</label>
          <FieldError ctx={ctx} id="followUpDay-error" message={err('followUpDay')} />
          <input class="input" type="date" id="followUpDay" name="followUpDay" aria-describedby={err('followUpDay') ? 'followUpDay-error' : undefined} />
        </div>
        <button class="button" type="submit">{t('protection.measure.submit')}</button>
      </form>

      <h2 id="custody">{t('case.custody')}</h2>
      {identity && (
        <div class="notice" role="status">
          <p><strong>{t('case.custody.identity')}</strong></p>
          <dl class="summary">{Object.entries(identity).map(([k, v]) => <div class="summary-row"><dt>{t(`report.identity.${k}`)}</dt><dd dir="auto">{v}</dd></div>)}</dl>
        </div>
      )}
      {view.custody.length > 0 && (
        <ul>
          {view.custody.map((r) => (
            <li>
              <p>{t(`case.custody.status.${r.status}`, { day: r.requestedDay })} — <span dir="auto">{r.reason}</span>{r.decision && <> · <span dir="auto">{r.decision}</span></>}</p>
              {r.status === 'pending' && canDecide && r.requesterId !== me && (
                <form method="post" action={`/${locale}/staff/custody/${r.id}/decision`} novalidate>
                  <Csrf token={frame.csrfToken} />
                  <div class={`field${err('decisionNote') ? ' has-error' : ''}`}>
                    <label for={`note-${r.id}`}>{t('case.custody.note')}</label>
                    <textarea id={`note-${r.id}`} name="note" class="input" rows={2} dir="auto" />
                  </div>
                  <div class="choice"><input type="checkbox" id={`exception-${r.id}`} name="legalException" value="yes" /><label for={`exception-${r.id}`}>{t('case.custody.exception')}</label></div>
                  <button class="button" type="submit" name="approve" value="yes">{t('case.custody.approve')}</button>{' '}
                  <button class="button danger" type="submit" name="approve" value="no">{t('case.custody.refuse')}</button>
                </form>
              )}
              {(r.status === 'approved' || r.status === 'disclosed') && r.requesterId === me && (
                <form method="post" action={`/${locale}/staff/custody/${r.id}/disclosure`}>
                  <Csrf token={frame.csrfToken} />
                  <button class="button" type="submit">{t('case.custody.open')}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {view.hasIdentity && !view.custody.some((r) => r.status === 'pending') && (
        <form method="post" action={action('custody')} novalidate>
          <Csrf token={frame.csrfToken} />
          <div class={`field${err('reason') ? ' has-error' : ''}`}>
            <label for="reason">{t('case.custody.reason')}</label>
            <span class="hint" id="reason-hint">{t('case.custody.hint')}</span>
            <FieldError ctx={ctx} id="reason-error" message={err('reason')} />
            <textarea id="reason" name="reason" class="input" rows={3} dir="auto" aria-describedby={err('reason') ? 'reason-hint reason-error' : 'reason-hint'} />
          </div>
          <button class="button" type="submit">{t('case.custody.submit')}</button>
        </form>
      )}
      {!view.hasIdentity && <p>{t('case.custody.none')}</p>}

      {view.status !== 'closed' && view.organisationId === frame.session.user.organisation_id && transferTargets.length > 0 && (
        <>
          <h2>{t('case.transfer')}</h2>
          <p>{t('case.transfer.text')}</p>
          <form method="post" action={action('transfer')} novalidate>
            <Csrf token={frame.csrfToken} />
            <Select ctx={ctx} name="organisation" label={t('case.transfer.to')} error={err('organisation')} options={transferTargets.map((o) => ({ value: String(o.id), label: o.name }))} />
            <div class={`field${err('confirm') ? ' has-error' : ''}`}>
              <FieldError ctx={ctx} id="confirm-error" message={err('confirm')} />
              <div class="choice"><input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={err('confirm') ? 'confirm-error' : undefined} /><label for="confirm">{t('case.transfer.confirm')}</label></div>
            </div>
            <button class="button danger" type="submit">{t('case.transfer.submit')}</button>
          </form>
        </>
      )}

      {retention && <RetentionSection frame={frame} caseId={view.id} closed={view.status === 'closed'} retention={retention} errors={errors} people={names.people} />}

      <h2>{t('case.history')}</h2>
      <ol>
        {view.events.map((e) => <li>{e.day} · {t(`case.event.${e.kind}`)}{e.actorId && <> · <bdi>{names.people.get(e.actorId) ?? ''}</bdi></>}{e.kind === 'transfer' && <> · <bdi>{names.organisations.get(Number(e.details.to)) ?? ''}</bdi></>}</li>)}
      </ol>
    </StaffLayout>
  );
}

export function CustodyQueue({ frame, pending }: { frame: StaffFrame; pending: { id: number; reportId: number; requestedDay: string }[] }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('custody.title')}>
      <h1>{t('custody.title')}</h1>
      {pending.length === 0 ? <p>{t('custody.empty')}</p> : (
        <ul>{pending.map((p) => <li><a href={`/${locale}/staff/cases/${p.reportId}#custody`}>{t('cases.number', { id: p.reportId })}</a> · {p.requestedDay}</li>)}</ul>
      )}
    </StaffLayout>
  );
}

export function OverduePage({ frame, rows, holders, names, deadlineLabels }: {
  frame: StaffFrame; rows: import('../service.js').OverdueRow[]; holders: number[]; names: Names; deadlineLabels: Record<string, string>;
}) {
  const { t, locale } = frame.ctx;
  const kind = (d: string) => (d === 'ack' ? t('case.ack_due') : d === 'feedback' ? t('case.feedback_due') : deadlineLabels[d] ?? d);
  const holderName = (id: number) => names.organisations.get(id) ?? String(id);
  return (
    <StaffLayout frame={frame} title={t('overdue.title')}>
      <h1>{t('overdue.title')}</h1>
      <p>{t('overdue.text')}</p>
      <div class="table-wrap">
        <table class="table">
          <caption>{t('overdue.by_office')}</caption>
          <thead><tr><th scope="col">{t('overdue.office')}</th><th scope="col">{t('case.ack_due')}</th><th scope="col">{t('case.feedback_due')}</th><th scope="col">{t('overdue.other')}</th></tr></thead>
          <tbody>
            {holders.map((h) => {
              const of = rows.filter((r) => r.holderId === h);
              return (
                <tr>
                  <th scope="row"><bdi>{holderName(h)}</bdi></th>
                  <td>{of.filter((r) => r.deadline === 'ack').length}</td>
                  <td>{of.filter((r) => r.deadline === 'feedback').length}</td>
                  <td>{of.filter((r) => r.deadline !== 'ack' && r.deadline !== 'feedback').length}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p role="status">{t('overdue.none')}</p> : (
        <div class="table-wrap">
          <table class="table">
            <caption>{t('overdue.list')}</caption>
            <thead><tr><th scope="col">{t('cases.col.case')}</th><th scope="col">{t('overdue.deadline')}</th><th scope="col">{t('cases.col.due')}</th><th scope="col">{t('overdue.late')}</th><th scope="col">{t('overdue.office')}</th><th scope="col">{t('cases.col.handler')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td><a href={`/${locale}/staff/cases/${r.id}`}>{t('cases.number', { id: r.id })}</a></td>
                  <td>{kind(r.deadline)}</td>
                  <td>{r.dueDay}</td>
                  <td>{t('overdue.days', { count: r.daysLate })}</td>
                  <td><bdi>{holderName(r.holderId)}</bdi></td>
                  <td>{r.handlerId ? <bdi>{names.people.get(r.handlerId) ?? r.handlerId}</bdi> : t('cases.unassigned')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffLayout>
  );
}
