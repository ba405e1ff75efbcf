// Case statistics: what an institution's staff see of their own work (counts, delays, deadlines
// met, transfers, protection, identity custody) and the version of it fit for publication, where
// small counts are suppressed so that no reporter can be singled out. No content is ever read.
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { toCsv } from '../../web/csv.js';
import { listOrganisations } from '../identity/directory.js';
import { isPlatformAdmin } from '../identity/policy.js';
import type { ResolvedSession } from '../identity/service.js';
import { listRegions } from '../institutions/service.js';
import { listChannels } from '../reports/channels.js';
import { isDay, localDay } from './clocks/calendar.js';
import { canSeeCaseStatistics } from './policy.js';
import { type Outcome, outcomes, type Status, statuses } from './service.js';
import * as repo from './statistics-repository.js';

/** Counts below this are not published (nor shares, medians and percentiles computed from fewer cases). */
export const MIN_PUBLISHED_COUNT = 5;
/** A longer period is refused: the monthly series would be long, and the figures meaningless. */
export const MAX_PERIOD_YEARS = 10;

export const custodyStatuses = ['pending', 'approved', 'refused', 'disclosed'] as const;
export type CustodyStatus = (typeof custodyStatuses)[number];

/** Days from receipt to an event, over the cases that reached it. */
export interface Delay<C> { cases: C; median: number | null; p90: number | null }
/** A deadline: cases where it is settled (met, missed, or past without the event), and those that met it. */
export interface Deadline<C> { settled: C; met: C; share: number | null }

/** The figures, with counts of type C: numbers for staff, numbers or null (suppressed) for publication. */
export interface Figures<C> {
  from: string;
  to: string;
  /** The day counted as today: a deadline not yet reached on that day is not settled. */
  asOf: string;
  /** The institution (with its offices); null: every institution of the portal. */
  organisationId: number | null;
  channelId: number | null;
  /** Null for staff figures; the threshold below which counts were suppressed for publication. */
  suppressedBelow: number | null;
  received: C;
  byChannel: { channelId: number; count: C }[];
  /** Null region: the reporter did not say. */
  byRegion: { region: string | null; count: C }[];
  byStatus: { status: Status; count: C }[];
  byOutcome: { outcome: Outcome; count: C }[];
  byMonth: { month: string; count: C }[];
  timeToAcknowledge: Delay<C>;
  timeToFeedback: Delay<C>;
  acknowledgedInTime: Deadline<C>;
  closedInTime: Deadline<C>;
  transfers: { in: C; out: C; byInstitution: { organisationId: number; in: C; out: C }[] };
  protection: { requests: C; reprisals: C };
  custody: { status: CustodyStatus; count: C }[];
}

export type CaseStatistics = Figures<number>;
export type PublishableStatistics = Figures<number | null>;

export interface StatisticsContext { database: Database }

export interface StatisticsQuery {
  from?: string | undefined;
  to?: string | undefined;
  channelId?: number | undefined;
  /** Platform admins: one institution; others may only name their own organisation. */
  organisationId?: number | undefined;
}

const invalid = (field: string, messageKey: string, values?: Record<string, string | number>) =>
  new AppError('validation_failed', { fields: [{ field, messageKey, ...(values ? { values } : {}) }] });

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The p-quantile of sorted values, interpolated between the two nearest ranks (Hyndman and Fan's
 * type 7, as in spreadsheets' PERCENTILE.INC and NumPy): the median of 1, 2, 4, 10 is 3.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

export function delayOf(days: number[]): Delay<number> {
  const sorted = [...days].sort((a, b) => a - b);
  const q = (p: number) => { const v = quantile(sorted, p); return v === null ? null : round(v, 1); };
  return { cases: sorted.length, median: q(0.5), p90: q(0.9) };
}

const deadline = (settled: number, met: number): Deadline<number> => ({ settled, met, share: settled === 0 ? null : round(met / settled, 4) });

/** Every month of the period, 'YYYY-MM'. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/** The organisations whose cases the statistics count: an institution or office with its offices; null for the whole portal. */
async function scope(ctx: StatisticsContext, s: ResolvedSession, requested: number | undefined): Promise<{ organisationId: number | null; ids: number[] | null }> {
  const orgs = await listOrganisations(ctx.database.db);
  const withOffices = (id: number) => [id, ...orgs.filter((o) => o.parent_id === id && o.kind === 'office').map((o) => o.id)];
  if (isPlatformAdmin(s) && s.user.organisation_id === null) {
    if (requested === undefined) return { organisationId: null, ids: null };
    const org = orgs.find((o) => o.id === requested);
    if (!org || org.kind === 'ngo') throw invalid('organisation', 'validation.choice');
    return { organisationId: org.id, ids: withOffices(org.id) };
  }
  const own = s.user.organisation_id!;
  // Another institution's figures are not for this user, whatever the form or URL says.
  if (requested !== undefined && requested !== own) throw new AppError('forbidden');
  return { organisationId: own, ids: withOffices(own) };
}

function period(q: StatisticsQuery, today: string): { from: string; to: string } {
  const year = today.slice(0, 4);
  const from = q.from ?? `${year}-01-01`;
  const to = q.to ?? `${year}-12-31`;
  if (!isDay(from)) throw invalid('from', 'validation.invalid');
  if (!isDay(to)) throw invalid('to', 'validation.invalid');
  if (to < from) throw invalid('to', 'stats.error.order');
  if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) >= MAX_PERIOD_YEARS) throw invalid('to', 'stats.error.span', { years: MAX_PERIOD_YEARS });
  return { from, to };
}

/**
 * The staff figures of the signed-in user's organisation (and its offices), or for platform
 * admins of one institution or of the whole portal. Cases count in the period they were received
 * in (a transferred case: the day the receiving institution got it); transfers, protection items
 * and identity requests in the period they were made in.
 */
export async function caseStatistics(ctx: StatisticsContext, s: ResolvedSession, q: StatisticsQuery, options: { today?: string } = {}): Promise<CaseStatistics> {
  if (!canSeeCaseStatistics(s)) throw new AppError('forbidden');
  const today = options.today ?? localDay(new Date());
  const { from, to } = period(q, today);
  const { organisationId, ids } = await scope(ctx, s, q.organisationId);
  const { db } = ctx.database;
  const f: repo.StatisticsFilter = { organisationIds: ids, from, to, channelId: q.channelId };

  const [byChannel, byRegion, byStatus, byOutcome, byDay, deadlines, answered, transfers, protection, custody, channels, regions] = await Promise.all([
    repo.countCasesBy(db, f, 'channel_id'), repo.countCasesBy(db, f, 'region'), repo.countCasesBy(db, f, 'status'), repo.countCasesBy(db, f, 'outcome'),
    repo.countCasesBy(db, f, 'received_day'), repo.deadlineCounts(db, f, today), repo.answeredDays(db, f),
    repo.transferCounts(db, f), repo.protectionCounts(db, f), repo.custodyCounts(db, f), listChannels(db), listRegions(db),
  ]);
  // Keys as text: PostgreSQL and SQLite may not agree on the type of a grouped value.
  const countOf = (rows: { key: string | number | null; n: number }[], key: string | number | null) =>
    rows.find((r) => (r.key === null ? key === null : key !== null && String(r.key) === String(key)))?.n ?? 0;

  // Every category is listed, with zeros: a category left out would say "none" without saying it.
  const channelIds = q.channelId !== undefined ? [q.channelId]
    : [...new Set([...channels.filter((c) => ids === null || ids.includes(c.organisationId)).map((c) => c.id), ...byChannel.map((r) => Number(r.key))])];
  const regionCodes: (string | null)[] = [...regions.map((r) => r.code), ...byRegion.map((r) => r.key as string | null).filter((k) => k !== null && !regions.some((r) => r.code === k)), null];
  const months = new Map(monthsOf(from, to).map((m) => [m, 0]));
  for (const r of byDay) { const m = String(r.key).slice(0, 7); months.set(m, (months.get(m) ?? 0) + r.n); }

  const inScope = (id: number) => ids === null || ids.includes(id);
  const counterparts = new Map<number, { in: number; out: number }>();
  let transfersIn = 0;
  let transfersOut = 0;
  for (const t of transfers) {
    if (ids === null) { transfersIn += t.n; transfersOut += t.n; continue; }
    // A move between the institution and its own offices is not a transfer in or out.
    if (inScope(t.from) && inScope(t.to)) continue;
    const other = inScope(t.from) ? t.to : t.from;
    const c = counterparts.get(other) ?? { in: 0, out: 0 };
    if (inScope(t.from)) { c.out += t.n; transfersOut += t.n; } else { c.in += t.n; transfersIn += t.n; }
    counterparts.set(other, c);
  }

  return {
    from, to, asOf: today, organisationId, channelId: q.channelId ?? null, suppressedBelow: null,
    received: byStatus.reduce((sum, r) => sum + r.n, 0),
    byChannel: channelIds.sort((a, b) => a - b).map((id) => ({ channelId: id, count: countOf(byChannel, id) })),
    byRegion: regionCodes.map((code) => ({ region: code, count: countOf(byRegion, code) })),
    byStatus: statuses.map((status) => ({ status, count: countOf(byStatus, status) })),
    byOutcome: outcomes.map((outcome) => ({ outcome, count: countOf(byOutcome, outcome) })),
    byMonth: [...months].map(([month, count]) => ({ month, count })),
    timeToAcknowledge: delayOf(answered.filter((r) => r.acknowledged_day !== null).map((r) => daysBetween(r.received_day, r.acknowledged_day!))),
    timeToFeedback: delayOf(answered.filter((r) => r.closed_day !== null).map((r) => daysBetween(r.received_day, r.closed_day!))),
    acknowledgedInTime: deadline(deadlines.ackSettled, deadlines.ackMet),
    closedInTime: deadline(deadlines.feedbackSettled, deadlines.feedbackMet),
    transfers: { in: transfersIn, out: transfersOut, byInstitution: [...counterparts].sort(([a], [b]) => a - b).map(([id, c]) => ({ organisationId: id, ...c })) },
    protection: { requests: protection.find((p) => p.kind === 'protection')?.n ?? 0, reprisals: protection.find((p) => p.kind === 'reprisal')?.n ?? 0 },
    custody: custodyStatuses.map((status) => ({ status, count: custody.find((c) => c.status === status)?.n ?? 0 })),
  };
}

// Publication

const small = (n: number): boolean => n < MIN_PUBLISHED_COUNT;
/** A count as published: null when below the threshold (zero included: "none" is a small count too). */
export const publishedCount = (n: number): number | null => (small(n) ? null : n);

const publishedDelay = (d: Delay<number>): Delay<number | null> =>
  small(d.cases) ? { cases: null, median: null, p90: null } : { cases: d.cases, median: d.median, p90: d.p90 };

const publishedDeadline = (d: Deadline<number>): Deadline<number | null> =>
  ({ settled: publishedCount(d.settled), met: publishedCount(d.met), share: small(d.settled) ? null : d.share });

/**
 * The figures as they may be published: every count below MIN_PUBLISHED_COUNT becomes null (shown
 * as "< 5"), and a share, median or percentile computed from fewer cases than that becomes null
 * too. Categories stay listed, so a suppressed one is not mistaken for an absent one.
 */
export function publishableStatistics(stats: CaseStatistics): PublishableStatistics {
  const c = publishedCount;
  return {
    from: stats.from, to: stats.to, asOf: stats.asOf, organisationId: stats.organisationId, channelId: stats.channelId, suppressedBelow: MIN_PUBLISHED_COUNT,
    received: c(stats.received),
    byChannel: stats.byChannel.map((r) => ({ channelId: r.channelId, count: c(r.count) })),
    byRegion: stats.byRegion.map((r) => ({ region: r.region, count: c(r.count) })),
    byStatus: stats.byStatus.map((r) => ({ status: r.status, count: c(r.count) })),
    byOutcome: stats.byOutcome.map((r) => ({ outcome: r.outcome, count: c(r.count) })),
    byMonth: stats.byMonth.map((r) => ({ month: r.month, count: c(r.count) })),
    timeToAcknowledge: publishedDelay(stats.timeToAcknowledge),
    timeToFeedback: publishedDelay(stats.timeToFeedback),
    acknowledgedInTime: publishedDeadline(stats.acknowledgedInTime),
    closedInTime: publishedDeadline(stats.closedInTime),
    transfers: {
      in: c(stats.transfers.in), out: c(stats.transfers.out),
      byInstitution: stats.transfers.byInstitution.map((r) => ({ organisationId: r.organisationId, in: c(r.in), out: c(r.out) })),
    },
    protection: { requests: c(stats.protection.requests), reprisals: c(stats.protection.reprisals) },
    custody: stats.custody.map((r) => ({ status: r.status, count: c(r.count) })),
  };
}

// CSV

/** Names for the codes in the figures, in the reader's language. */
export interface StatisticsLabels {
  section(section: string): string;
  channel(id: number): string;
  region(code: string | null): string;
  status(status: string): string;
  outcome(outcome: string): string;
  custody(status: string): string;
  organisation(id: number): string;
  month(month: string): string;
  measure(code: string): string;
}

/**
 * The figures as CSV, one figure a row: section and code (stable, for machines), label (the
 * reader's language) and value. A suppressed value is empty, with "suppressed" set, so that the
 * value column stays numeric.
 */
export function statisticsCsv(stats: Figures<number | null>, l: StatisticsLabels): string {
  const rows: (string | number | null)[][] = [];
  const add = (section: string, code: string, label: string, value: number | null) =>
    rows.push([section, code, label, value, value === null && stats.suppressedBelow !== null ? 'yes' : '']);
  rows.push(['period', 'from', l.measure('from'), stats.from, ''], ['period', 'to', l.measure('to'), stats.to, '']);
  add('received', 'total', l.section('received'), stats.received);
  for (const r of stats.byChannel) add('channel', String(r.channelId), l.channel(r.channelId), r.count);
  for (const r of stats.byRegion) add('region', r.region ?? 'none', l.region(r.region), r.count);
  for (const r of stats.byStatus) add('status', r.status, l.status(r.status), r.count);
  for (const r of stats.byOutcome) add('outcome', r.outcome, l.outcome(r.outcome), r.count);
  for (const r of stats.byMonth) add('month', r.month, l.month(r.month), r.count);
  for (const [section, d] of [['time_to_acknowledge', stats.timeToAcknowledge], ['time_to_feedback', stats.timeToFeedback]] as const) {
    add(section, 'cases', `${l.section(section)}: ${l.measure('cases')}`, d.cases);
    add(section, 'median_days', `${l.section(section)}: ${l.measure('median_days')}`, d.median);
    add(section, 'p90_days', `${l.section(section)}: ${l.measure('p90_days')}`, d.p90);
  }
  for (const [section, d] of [['acknowledged_in_time', stats.acknowledgedInTime], ['closed_in_time', stats.closedInTime]] as const) {
    add(section, 'settled', `${l.section(section)}: ${l.measure('settled')}`, d.settled);
    add(section, 'met', `${l.section(section)}: ${l.measure('met')}`, d.met);
    add(section, 'share', `${l.section(section)}: ${l.measure('share')}`, d.share);
  }
  add('transfers', 'in', l.measure('transfers_in'), stats.transfers.in);
  add('transfers', 'out', l.measure('transfers_out'), stats.transfers.out);
  for (const r of stats.transfers.byInstitution) {
    add('transfers_in', String(r.organisationId), l.organisation(r.organisationId), r.in);
    add('transfers_out', String(r.organisationId), l.organisation(r.organisationId), r.out);
  }
  add('protection', 'requests', l.measure('protection_requests'), stats.protection.requests);
  add('protection', 'reprisals', l.measure('reprisal_reports'), stats.protection.reprisals);
  for (const r of stats.custody) add('custody', r.status, l.custody(r.status), r.count);
  return toCsv(['section', 'code', 'label', 'value', 'suppressed'], rows);
}
