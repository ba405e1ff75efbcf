import { BarChart, type ChartValue, LineChart } from '../../../web/components/Charts.js';
import { Select } from '../../../web/components/Select.js';
import { ErrorSummary, FieldError, type ShownError } from '../../../web/components/ErrorSummary.js';
import { type Locale, localeInfo, type T } from '../../../web/i18n.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import { type Figures, MIN_PUBLISHED_COUNT, type StatisticsLabels } from '../statistics.js';

export interface StatisticsNames {
  channels: Map<number, string>;
  regions: Map<string, string>;
  organisations: Map<number, string>;
}

/** The form as the user filled it in (raw text, shown back after an error). */
export interface StatisticsForm { from?: string | undefined; to?: string | undefined; channel?: string | undefined; organisation?: string | undefined; view?: string | undefined }

/** Names of every code in the figures, in the page's language: the page and the CSV use the same. */
export function statisticsLabels(t: T, locale: Locale, names: StatisticsNames): StatisticsLabels {
  const month = new Intl.DateTimeFormat(localeInfo[locale].intl, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const sections: Record<string, string> = {
    received: 'stats.figure.received', time_to_acknowledge: 'stats.section.time_to_acknowledge', time_to_feedback: 'stats.section.time_to_feedback',
    acknowledged_in_time: 'stats.figure.ack_in_time', closed_in_time: 'stats.figure.closed_in_time',
  };
  const measures: Record<string, string> = {
    from: 'stats.filter.from', to: 'stats.filter.to', cases: 'stats.col.cases', median_days: 'stats.col.median', p90_days: 'stats.col.p90',
    settled: 'stats.col.settled', met: 'stats.col.met', share: 'stats.col.share', transfers_in: 'stats.figure.transfers_in', transfers_out: 'stats.figure.transfers_out',
    protection_requests: 'stats.figure.protection', reprisal_reports: 'stats.figure.reprisals',
  };
  return {
    section: (s) => t(sections[s] ?? s),
    measure: (m) => t(measures[m] ?? m),
    channel: (id) => names.channels.get(id) ?? String(id),
    region: (code) => (code === null ? t('stats.region.none') : names.regions.get(code) ?? code),
    status: (s) => t(`case.status.${s}`),
    outcome: (o) => t(`case.outcome.${o}`),
    custody: (s) => t(`stats.custody.${s}`),
    organisation: (id) => names.organisations.get(id) ?? String(id),
    month: (m) => month.format(new Date(`${m}-01T00:00:00Z`)),
  };
}


const DayField = ({ ctx, name, label, value, error }: { ctx: StaffFrame['ctx']; name: string; label: string; value?: string | undefined; error?: string | undefined }) => (
  <div class={`field${error ? ' has-error' : ''}`}>
    <label for={name}>{label}</label>
    <FieldError ctx={ctx} id={`${name}-error`} message={error} />
    <input class="input" type="date" id={name} name={name} value={value ?? ''} aria-describedby={error ? `${name}-error` : undefined} aria-invalid={error ? 'true' : undefined} />
  </div>
);

/** A category table: what the chart beside it shows, readable by everyone. */
function CountTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: { label: string; text: string }[] }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{head[0]}</th><th scope="col">{head[1]}</th></tr></thead>
        <tbody>{rows.map((r) => <tr><th scope="row">{r.label}</th><td>{r.text}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

export interface StatisticsPageProps {
  frame: StaffFrame;
  form: StatisticsForm;
  figures?: Figures<number | null> | undefined;
  names: StatisticsNames;
  /** Channels to filter by, and for platform admins the institutions to choose from. */
  channelOptions: { id: number; name: string }[];
  organisationOptions?: { id: number; name: string }[] | undefined;
  errors?: ShownError[];
  csvHref?: string | undefined;
}

export function StatisticsPage({ frame, form, figures, names, channelOptions, organisationOptions, errors = [], csvHref }: StatisticsPageProps) {
  const { t, locale } = frame.ctx;
  const ctx = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const dir = localeInfo[locale].dir;
  return (
    <StaffLayout frame={frame} title={t('stats.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('stats.title')}</h1>
      <p>{t('stats.intro')}</p>
      <form method="get" action={`/${locale}/staff/cases/statistics`} class="filters" novalidate>
        <DayField ctx={ctx} name="from" label={t('stats.filter.from')} value={form.from} error={err('from')} />
        <DayField ctx={ctx} name="to" label={t('stats.filter.to')} value={form.to} error={err('to')} />
        <Select ctx={ctx} name="channel" label={t('stats.filter.channel')} blank={t('stats.filter.any_channel')} value={form.channel} error={err('channel')}
          options={channelOptions.map((c) => ({ value: String(c.id), label: c.name }))} />
        {organisationOptions && <Select ctx={ctx} name="organisation" label={t('stats.filter.organisation')} blank={t('stats.filter.all_organisations')} value={form.organisation} error={err('organisation')}
          options={organisationOptions.map((o) => ({ value: String(o.id), label: o.name }))} />}
        <Select ctx={ctx} name="view" label={t('stats.filter.view')} value={form.view ?? 'staff'} error={err('view')}
          options={[{ value: 'staff', label: t('stats.view.staff') }, { value: 'published', label: t('stats.view.published') }]} />
        <button class="button" type="submit">{t('stats.filter.submit')}</button>
      </form>
      {figures && <FiguresView frame={frame} figures={figures} names={names} dir={dir} csvHref={csvHref} />}
    </StaffLayout>
  );
}

function FiguresView({ frame, figures: f, names, dir, csvHref }: { frame: StaffFrame; figures: Figures<number | null>; names: StatisticsNames; dir: 'ltr' | 'rtl'; csvHref?: string | undefined }) {
  const { t, locale } = frame.ctx;
  const l = statisticsLabels(t, locale, names);
  const intl = localeInfo[locale].intl;
  const number = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const published = f.suppressedBelow !== null;
  const threshold = f.suppressedBelow ?? MIN_PUBLISHED_COUNT;
  const count = (n: number | null) => (n === null ? t('stats.below', { threshold }) : number.format(n));
  /** A share, median or percentile: missing for want of cases, or withheld for publication. */
  const derived = (v: number | null, base: number | null, show: (v: number) => string) =>
    v !== null ? show(v) : published && base === null ? t('stats.not_shown', { threshold }) : t('stats.none');
  const days = (v: number) => t('stats.days', { days: v });
  const chart = (rows: { label: string; value: number | null; axis?: string; axisNote?: string | undefined }[]): ChartValue[] => rows.map((r) => ({ ...r, text: count(r.value) }));
  const section = (id: string, title: string, head: [string, string], rows: { label: string; value: number | null }[]) => (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <div class="chart-pair">
        <BarChart values={chart(rows)} dir={dir} />
        <CountTable caption={title} head={head} rows={chart(rows).map((r) => ({ label: r.label, text: r.text }))} />
      </div>
    </section>
  );
  const scope = f.organisationId === null ? t('stats.scope.all') : names.organisations.get(f.organisationId) ?? '';
  // The axis names the month, with the year under it where the year starts (first point, each January).
  const shortMonth = new Intl.DateTimeFormat(intl, { month: 'short', timeZone: 'UTC' });
  const months = f.byMonth.map((m, i) => ({
    label: l.month(m.month), value: m.count, axis: shortMonth.format(new Date(`${m.month}-01T00:00:00Z`)),
    axisNote: i === 0 || m.month.endsWith('-01') ? m.month.slice(0, 4) : undefined,
  }));
  const share = (d: Figures<number | null>['acknowledgedInTime']) => derived(d.share, d.settled, (s) => percent.format(s));

  return (
    <>
      <p role="status"><strong>{t('stats.period', { from: f.from, to: f.to })}</strong> · <bdi>{scope}</bdi>{f.channelId !== null && <> · <bdi>{l.channel(f.channelId)}</bdi></>}</p>
      {published && <p class="notice">{t('stats.published.notice', { threshold })}</p>}
      {csvHref && <p><a href={csvHref} download>{t('stats.csv')}</a></p>}

      <ul class="figures">
        <li>{t('stats.figure.received')}<span class="figure-value">{count(f.received)}</span></li>
        <li>{t('stats.figure.ack_in_time')}<span class="figure-value">{share(f.acknowledgedInTime)}</span>{t('stats.share.of', { met: count(f.acknowledgedInTime.met), settled: count(f.acknowledgedInTime.settled) })}</li>
        <li>{t('stats.figure.closed_in_time')}<span class="figure-value">{share(f.closedInTime)}</span>{t('stats.share.of', { met: count(f.closedInTime.met), settled: count(f.closedInTime.settled) })}</li>
        <li>{t('stats.figure.ack_median')}<span class="figure-value">{derived(f.timeToAcknowledge.median, f.timeToAcknowledge.cases, days)}</span></li>
        <li>{t('stats.figure.feedback_median')}<span class="figure-value">{derived(f.timeToFeedback.median, f.timeToFeedback.cases, days)}</span></li>
        <li>{t('stats.figure.transfers_in')}<span class="figure-value">{count(f.transfers.in)}</span></li>
        <li>{t('stats.figure.transfers_out')}<span class="figure-value">{count(f.transfers.out)}</span></li>
        <li>{t('stats.figure.protection')}<span class="figure-value">{count(f.protection.requests)}</span></li>
        <li>{t('stats.figure.reprisals')}<span class="figure-value">{count(f.protection.reprisals)}</span></li>
      </ul>

      {section('by-channel', t('stats.by_channel'), [t('stats.col.channel'), t('stats.col.reports')], f.byChannel.map((r) => ({ label: l.channel(r.channelId), value: r.count })))}
      {section('by-region', t('stats.by_region'), [t('stats.col.region'), t('stats.col.reports')], f.byRegion.map((r) => ({ label: l.region(r.region), value: r.count })))}
      {section('by-status', t('stats.by_status'), [t('stats.col.status'), t('stats.col.reports')], f.byStatus.map((r) => ({ label: l.status(r.status), value: r.count })))}
      {section('by-outcome', t('stats.by_outcome'), [t('stats.col.outcome'), t('stats.col.reports')], f.byOutcome.map((r) => ({ label: l.outcome(r.outcome), value: r.count })))}

      <section aria-labelledby="by-month">
        <h2 id="by-month">{t('stats.by_month')}</h2>
        <div class="chart-pair">
          <LineChart values={chart(months)} dir={dir} tick={(n) => number.format(n)} />
          <CountTable caption={t('stats.by_month')} head={[t('stats.col.month'), t('stats.col.reports')]} rows={chart(months).map((r) => ({ label: r.label, text: r.text }))} />
        </div>
      </section>

      <section aria-labelledby="delays">
        <h2 id="delays">{t('stats.delays')}</h2>
        <div class="table-wrap">
          <table class="table">
            <caption>{t('stats.delays')}</caption>
            <thead><tr><th scope="col">{t('stats.col.stage')}</th><th scope="col">{t('stats.col.cases')}</th><th scope="col">{t('stats.col.median')}</th><th scope="col">{t('stats.col.p90')}</th></tr></thead>
            <tbody>
              {([['time_to_acknowledge', f.timeToAcknowledge], ['time_to_feedback', f.timeToFeedback]] as const).map(([key, d]) => (
                <tr><th scope="row">{l.section(key)}</th><td>{count(d.cases)}</td><td>{derived(d.median, d.cases, (v) => number.format(v))}</td><td>{derived(d.p90, d.cases, (v) => number.format(v))}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="deadlines">
        <h2 id="deadlines">{t('stats.deadlines')}</h2>
        <p>{t('stats.deadlines.note', { asOf: f.asOf })}</p>
        <div class="table-wrap">
          <table class="table">
            <caption>{t('stats.deadlines')}</caption>
            <thead><tr><th scope="col">{t('stats.col.deadline')}</th><th scope="col">{t('stats.col.settled')}</th><th scope="col">{t('stats.col.met')}</th><th scope="col">{t('stats.col.share')}</th></tr></thead>
            <tbody>
              {([['acknowledged_in_time', f.acknowledgedInTime], ['closed_in_time', f.closedInTime]] as const).map(([key, d]) => (
                <tr><th scope="row">{l.section(key)}</th><td>{count(d.settled)}</td><td>{count(d.met)}</td><td>{share(d)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="transfers">
        <h2 id="transfers">{t('stats.transfers')}</h2>
        <div class="table-wrap">
          <table class="table">
            <caption>{t('stats.transfers')}</caption>
            <thead><tr><th scope="col">{t('stats.col.institution')}</th><th scope="col">{t('stats.figure.transfers_in')}</th><th scope="col">{t('stats.figure.transfers_out')}</th></tr></thead>
            <tbody>
              {f.transfers.byInstitution.map((r) => <tr><th scope="row"><bdi>{l.organisation(r.organisationId)}</bdi></th><td>{count(r.in)}</td><td>{count(r.out)}</td></tr>)}
              <tr><th scope="row">{t('stats.row.total')}</th><td>{count(f.transfers.in)}</td><td>{count(f.transfers.out)}</td></tr>
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="protection">
        <h2 id="protection">{t('stats.protection')}</h2>
        <CountTable caption={t('stats.protection')} head={[t('stats.col.kind'), t('stats.col.count')]}
          rows={[{ label: t('stats.figure.protection'), text: count(f.protection.requests) }, { label: t('stats.figure.reprisals'), text: count(f.protection.reprisals) }]} />
      </section>

      {section('custody', t('stats.custody'), [t('stats.col.outcome'), t('stats.col.requests')], f.custody.map((r) => ({ label: l.custody(r.status), value: r.count })))}
    </>
  );
}
