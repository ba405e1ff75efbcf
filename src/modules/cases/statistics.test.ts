// The arithmetic of case statistics and, above all, the suppression of small counts before
// publication: no count below 5, and no share, median or percentile computed from fewer than 5
// cases, may leave publishableStatistics.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../test/helpers/csv.js';
import { type CaseStatistics, custodyStatuses, delayOf, MIN_PUBLISHED_COUNT, monthsOf, publishableStatistics, quantile, statisticsCsv, type StatisticsLabels } from './statistics.js';
import { outcomes, statuses } from './service.js';

/** Staff figures with every count taken from `next` (any integer source), the rest consistent enough. */
function figures(next: () => number): CaseStatistics {
  const delay = () => { const cases = next(); return { cases, median: cases ? 6.5 : null, p90: cases ? 13.4 : null }; };
  const deadline = () => { const settled = next(); const met = Math.min(settled, next()); return { settled, met, share: settled ? met / settled : null }; };
  return {
    from: '2025-01-01', to: '2025-12-31', asOf: '2026-11-27', organisationId: 3, channelId: null, suppressedBelow: null,
    received: next(),
    byChannel: [1, 2, 7].map((channelId) => ({ channelId, count: next() })),
    byRegion: ['MA-01', 'MA-06', null].map((region) => ({ region, count: next() })),
    byStatus: statuses.map((status) => ({ status, count: next() })),
    byOutcome: outcomes.map((outcome) => ({ outcome, count: next() })),
    byMonth: monthsOf('2025-01-01', '2025-12-31').map((month) => ({ month, count: next() })),
    timeToAcknowledge: delay(), timeToFeedback: delay(),
    acknowledgedInTime: deadline(), closedInTime: deadline(),
    transfers: { in: next(), out: next(), byInstitution: [4, 9].map((organisationId) => ({ organisationId, in: next(), out: next() })) },
    protection: { requests: next(), reprisals: next() },
    custody: custodyStatuses.map((status) => ({ status, count: next() })),
  };
}

const derived = new Set(['median', 'p90', 'share']);
const identifiers = new Set(['channelId', 'organisationId', 'suppressedBelow']);

/** Every count in the figures, by path, found by walking them (so a figure added later is covered too). */
function countsOf(value: unknown, path = ''): [string, number | null][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => countsOf(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (derived.has(k) || identifiers.has(k) || typeof v === 'string' ? [] : countsOf(v, path ? `${path}.${k}` : k)));
  }
  return [[path, value as number | null]];
}

function seeded(seed: number) {
  let x = seed;
  // A small linear congruential generator: the same figures on every run.
  return () => { x = (x * 1103515245 + 12345) % 2 ** 31; return x % 13; };
}

describe('quantiles', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantile([1, 2, 4, 10], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(quantile([7], 0.5)).toBe(7);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('sorts, counts and rounds to one decimal', () => {
    expect(delayOf([10, 1, 3, 2])).toEqual({ cases: 4, median: 2.5, p90: 7.9 });
    expect(delayOf([0, 0, 1])).toEqual({ cases: 3, median: 0, p90: 0.8 });
    expect(delayOf([])).toEqual({ cases: 0, median: null, p90: null });
  });
});

describe('months of a period', () => {
  it('lists every month touched, across a year end', () => {
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf('2026-03-31', '2026-03-31')).toEqual(['2026-03']);
  });
});

describe('publishableStatistics', () => {
  it('keeps counts of 5 and more, and replaces 0 to 4 by null', () => {
    const values = [0, 1, 4, 5, 6, 120];
    let i = 0;
    const stats = figures(() => values[i++ % values.length]!);
    const published = publishableStatistics(stats);
    const before = countsOf(stats);
    const after = new Map(countsOf(published));
    expect(before.length).toBeGreaterThan(40);
    for (const [path, n] of before) expect(after.get(path), path).toBe(n! < 5 ? null : n);
    expect(MIN_PUBLISHED_COUNT).toBe(5);
  });

  it('never lets a count below 5 through, whatever the figures (500 seeded draws)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const published = publishableStatistics(figures(seeded(seed)));
      const leaks = countsOf(published).filter(([, n]) => n !== null && n < MIN_PUBLISHED_COUNT);
      expect(leaks, `seed ${seed}`).toEqual([]);
    }
  });

  it('suppresses a share when fewer than 5 cases settle the deadline, and keeps it from 5', () => {
    const base = figures(() => 20);
    const at = (settled: number, met: number) => publishableStatistics({ ...base, acknowledgedInTime: { settled, met, share: met / settled } }).acknowledgedInTime;
    expect(at(4, 4)).toEqual({ settled: null, met: null, share: null });
    expect(at(4, 1)).toEqual({ settled: null, met: null, share: null });
    expect(at(5, 5)).toEqual({ settled: 5, met: 5, share: 1 });
    // The share describes the institution's timeliness: it stays, even when the count that met it is small.
    expect(at(6, 2)).toEqual({ settled: 6, met: null, share: 2 / 6 });
    expect(publishableStatistics({ ...base, closedInTime: { settled: 0, met: 0, share: null } }).closedInTime).toEqual({ settled: null, met: null, share: null });
  });

  it('suppresses medians and 90th percentiles computed from fewer than 5 cases', () => {
    const base = figures(() => 20);
    expect(publishableStatistics({ ...base, timeToAcknowledge: { cases: 4, median: 3, p90: 9 } }).timeToAcknowledge).toEqual({ cases: null, median: null, p90: null });
    expect(publishableStatistics({ ...base, timeToFeedback: { cases: 5, median: 40, p90: 88.4 } }).timeToFeedback).toEqual({ cases: 5, median: 40, p90: 88.4 });
    expect(publishableStatistics({ ...base, timeToFeedback: { cases: 0, median: null, p90: null } }).timeToFeedback).toEqual({ cases: null, median: null, p90: null });
  });

  it('keeps every category listed, in order, with its identifiers', () => {
    const stats = figures(seeded(7));
    const published = publishableStatistics(stats);
    expect(published.byChannel.map((r) => r.channelId)).toEqual(stats.byChannel.map((r) => r.channelId));
    expect(published.byRegion.map((r) => r.region)).toEqual(['MA-01', 'MA-06', null]);
    expect(published.byStatus.map((r) => r.status)).toEqual([...statuses]);
    expect(published.byOutcome.map((r) => r.outcome)).toEqual([...outcomes]);
    expect(published.byMonth.map((r) => r.month)).toEqual(stats.byMonth.map((r) => r.month));
    expect(published.transfers.byInstitution.map((r) => r.organisationId)).toEqual([4, 9]);
    expect(published.custody.map((r) => r.status)).toEqual([...custodyStatuses]);
    expect(published).toMatchObject({ from: stats.from, to: stats.to, asOf: stats.asOf, organisationId: 3, channelId: null, suppressedBelow: 5 });
  });

  it('does not change the staff figures it is given', () => {
    const stats = figures(seeded(11));
    const copy = structuredClone(stats);
    publishableStatistics(stats);
    expect(stats).toEqual(copy);
  });
});

describe('CSV of the figures', () => {
  const labels: StatisticsLabels = {
    section: (s) => `S:${s}`, channel: (id) => `channel ${id}`, region: (c) => c ?? 'not given', status: (s) => s, outcome: (o) => o,
    custody: (s) => s, organisation: (id) => `org ${id}`, month: (m) => m, measure: (m) => `M:${m}`,
  };

  it('writes one figure a row, with stable codes, and suppressed values empty and flagged', () => {
    const stats = figures(() => 3);
    const staff = parseCsv(statisticsCsv(stats, labels));
    expect(staff[0]).toEqual(['section', 'code', 'label', 'value', 'suppressed']);
    expect(staff).toContainEqual(['received', 'total', 'S:received', '3', '']);
    expect(staff).toContainEqual(['region', 'none', 'not given', '3', '']);
    const published = parseCsv(statisticsCsv(publishableStatistics(stats), labels));
    expect(published).toContainEqual(['received', 'total', 'S:received', '', 'yes']);
    expect(published).toContainEqual(['period', 'from', 'M:from', '2025-01-01', '']);
    expect(published.slice(1).filter((r) => r[0] !== 'period').every((r) => r[3] === '' && r[4] === 'yes')).toBe(true);
    expect(published.length).toBe(staff.length);
  });
});
