// Case statistics on a real database: 30 INPPLC cases over two channels, three regions, every
// status, acknowledgements before and after their due day, a regional office, two transfers with
// the Médiateur, protection items and identity requests. Every expected figure below was counted
// by hand from the table of cases, not recomputed with the code under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../src/modules/cases/clocks/calendar.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import type { Role } from '../../src/modules/identity/roles.js';
import * as identity from '../../src/modules/identity/service.js';
import { getChannel } from '../../src/modules/reports/channels.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildCase, buildCustodyRequest, buildProtectionItem, buildTransfer } from '../helpers/cases.js';
import { parseCsv } from '../helpers/csv.js';
import { buildUser, identityContext } from '../helpers/identity.js';

let t: TestApp;
const org: Record<string, number> = {};
const channel: Record<'C' | 'P' | 'M', number> = { C: 0, P: 0, M: 0 };
const browsers: Record<string, Browser> = {};
const userIds: Record<string, number> = {};
const year2025 = 'from=2025-01-01&to=2025-12-31';
const thisYear = localDay(new Date()).slice(0, 4);

/** Days to acknowledge of the 24 acknowledged INPPLC cases, and days to close of the 12 closed ones, in case order. */
const ackDelays = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 7, 8, 9, 10, 10, 12, 14, 15, 20];
const closeDelays = [20, 30, 45, 60, 60, 75, 80, 90, 95, 100, 120, 150];

/**
 * INPPLC case i (0–29), received every other day from 1 March 2025:
 *  0–3 received; 4–9 acknowledged; 10–14 assessment; 15–17 investigation; 18 closed (withdrawn) and
 *  19 closed (unfounded) without acknowledgement; 20–29 closed after acknowledgement (20–24 founded,
 *  25–27 unfounded, 28–29 partly founded). Channel: corruption (C) when i % 5 < 3, else public
 *  official (P). Region: MA-01 when i % 15 < 6, MA-06 when < 11, else MA-09. Cases 0, 10, 20 are
 *  assigned to the Tanger office.
 */
function inpplcCase(i: number) {
  const status = i < 4 ? 'received' : i < 10 ? 'acknowledged' : i < 15 ? 'assessment' : i < 18 ? 'investigation' : 'closed';
  const acknowledgedAfter = i < 4 || i === 18 || i === 19 ? null : ackDelays[i < 18 ? i - 4 : i - 6]!;
  const closedAfter = i < 18 ? null : closeDelays[i - 18]!;
  const outcome = i < 18 ? null : i === 18 ? 'withdrawn' : i === 19 ? 'unfounded' : i < 25 ? 'founded' : i < 28 ? 'unfounded' : 'partly-founded';
  return {
    organisationId: org.inpplc!, channelId: i % 5 < 3 ? channel.C : channel.P, receivedDay: addDays('2025-03-01', 2 * i),
    region: i % 15 < 6 ? 'MA-01' : i % 15 < 11 ? 'MA-06' : 'MA-09', status, outcome, acknowledgedAfter, closedAfter, officeId: i % 10 === 0 ? org.office! : null,
  };
}

async function signIn(name: string, roles: Role[], organisationId: number | null) {
  const u = await buildUser(identityContext(t.database), { roles, organisationId });
  const browser = new Browser(() => t.app);
  const res = await browser.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  expect(res.statusCode, `sign-in of ${name}`).toBe(303);
  browsers[name] = browser;
  userIds[name] = u.userId;
}

const api = async (who: string | null, query = year2025) => {
  const res = await t.app.inject({ url: `/api/v1/cases/statistics${query ? `?${query}` : ''}`, headers: who ? { cookie: [...browsers[who]!.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
  return res;
};
const figures = async (who: string, query = year2025) => {
  const res = await api(who, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const counts = <K extends string>(rows: Record<string, unknown>[], key: K) => Object.fromEntries(rows.map((r) => [String(r[key]), r.count]));

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' });
  const { db } = t.database;
  for (const slug of ['inpplc', 'mediateur']) org[slug] = (await findOrganisationBySlug(db, slug))!.id;
  org.office = (await identity.createOrganisation(identityContext(t.database), { slug: 'inpplc-tanger', kind: 'office', parentId: org.inpplc!, names: { ar: 'طنجة', fr: 'Antenne de Tanger', en: 'Tangier office' } }, 'cli')).id;
  channel.C = (await getChannel(db, 'inpplc-corruption'))!.id;
  channel.P = (await getChannel(db, 'inpplc-public-official'))!.id;
  channel.M = (await getChannel(db, 'mediateur-complaint'))!.id;

  await signIn('handler', ['case-handler'], org.inpplc!);
  await signIn('custodian', ['custodian'], org.inpplc!);
  await signIn('admin', ['institution-admin'], org.inpplc!);
  await signIn('publisher', ['publisher'], org.inpplc!);
  await signIn('office', ['case-handler'], org.office!);
  await signIn('mediateur', ['case-handler'], org.mediateur!);
  await signIn('platform', ['platform-admin'], null);

  const ids: number[] = [];
  for (let i = 0; i < 30; i++) ids.push(await buildCase(db, inpplcCase(i)));
  // Outside 2025: the day before and the first day of this year.
  await buildCase(db, { organisationId: org.inpplc!, channelId: channel.C, receivedDay: '2024-12-31', region: 'MA-01' });
  await buildCase(db, { organisationId: org.inpplc!, channelId: channel.P, receivedDay: `${thisYear}-01-01`, region: 'MA-09' });

  // T1: an INPPLC report sent to the Médiateur on 10 April 2025, acknowledged there two days later.
  const t1 = await buildCase(db, { organisationId: org.mediateur!, channelId: channel.C, receivedDay: '2025-04-10', region: 'MA-06', status: 'acknowledged', acknowledgedAfter: 2 });
  await buildTransfer(db, { reportId: t1, from: org.inpplc!, to: org.mediateur!, day: '2025-04-10', actorId: userIds.handler! });
  // T2: a Médiateur complaint sent to the INPPLC on 5 May 2025, not yet acknowledged.
  const t2 = await buildCase(db, { organisationId: org.inpplc!, channelId: channel.M, receivedDay: '2025-05-05', region: null });
  await buildTransfer(db, { reportId: t2, from: org.mediateur!, to: org.inpplc!, day: '2025-05-05', actorId: userIds.mediateur! });
  // The Médiateur's own three complaints.
  const m1 = await buildCase(db, { organisationId: org.mediateur!, channelId: channel.M, receivedDay: '2025-02-10', region: 'MA-01', status: 'closed', outcome: 'founded', acknowledgedAfter: 3, closedAfter: 30 });
  await buildCase(db, { organisationId: org.mediateur!, channelId: channel.M, receivedDay: '2025-06-01', region: 'MA-09', status: 'assessment', acknowledgedAfter: 10 });
  await buildCase(db, { organisationId: org.mediateur!, channelId: channel.M, receivedDay: '2025-07-01', region: 'MA-09' });

  // Protection: 3 requests and 2 reprisal reports at the INPPLC in 2025; a staff measure and a
  // request made this year do not count in 2025; one reprisal report at the Médiateur.
  for (const [i, kind, day] of [[5, 'protection', '2025-03-20'], [12, 'protection', '2025-04-02'], [21, 'protection', '2025-05-15'], [21, 'reprisal', '2025-06-15'], [26, 'reprisal', '2025-09-01'], [26, 'measure', '2025-09-02'], [5, 'protection', `${thisYear}-01-05`]] as const) {
    await buildProtectionItem(db, { reportId: ids[i]!, kind, day });
  }
  await buildProtectionItem(db, { reportId: m1, kind: 'reprisal', day: '2025-03-01' });
  // Identity requests at the INPPLC: one pending, one approved, two refused, one disclosed; one pending at the Médiateur.
  for (const [i, status] of [[6, 'pending'], [7, 'approved'], [8, 'refused'], [11, 'refused'], [22, 'disclosed']] as const) {
    await buildCustodyRequest(db, { reportId: ids[i]!, requesterId: userIds.handler!, day: '2025-06-01', status });
  }
  await buildCustodyRequest(db, { reportId: m1, requesterId: userIds.mediateur!, day: '2025-03-05', status: 'pending' });
});
afterAll(() => t.close());

describe('statistics of an institution', () => {
  it('counts the INPPLC\'s 2025 reports by channel, region, status, outcome and month', async () => {
    const f = await figures('handler');
    expect(f).toMatchObject({ from: '2025-01-01', to: '2025-12-31', organisationId: org.inpplc, channelId: null, suppressedBelow: null, received: 31 });
    // Its own two channels, and the Médiateur's through which the transferred-in report came.
    expect(counts(f.byChannel, 'channelId')).toEqual({ [channel.C]: 18, [channel.P]: 12, [channel.M]: 1 });
    const regions = counts(f.byRegion, 'region');
    expect(f.byRegion).toHaveLength(13);
    expect(Object.fromEntries(Object.entries(regions).filter(([, n]) => n !== 0))).toEqual({ 'MA-01': 12, 'MA-06': 10, 'MA-09': 8, null: 1 });
    expect(counts(f.byStatus, 'status')).toEqual({ received: 5, acknowledged: 6, assessment: 5, investigation: 3, closed: 12 });
    expect(counts(f.byOutcome, 'outcome')).toEqual({ founded: 5, 'partly-founded': 2, unfounded: 4, 'not-competent': 0, 'no-follow-up-possible': 0, withdrawn: 1 });
    expect(f.byMonth).toHaveLength(12);
    expect(Object.fromEntries(f.byMonth.filter((m: { count: number }) => m.count).map((m: { month: string; count: number }) => [m.month, m.count]))).toEqual({ '2025-03': 16, '2025-04': 14, '2025-05': 1 });
  });

  it('gives the median and 90th percentile of the days to acknowledge and to close', async () => {
    const f = await figures('handler');
    expect(f.timeToAcknowledge).toEqual({ cases: 24, median: 6, p90: 13.4 });
    expect(f.timeToFeedback).toEqual({ cases: 12, median: 77.5, p90: 118 });
  });

  it('gives the share of deadlines met among those settled', async () => {
    const f = await figures('handler');
    // Every 2025 deadline has passed: all 31 count. 16 acknowledged within 7 days (the two closed
    // without acknowledgement and the five never acknowledged did not); 8 closed within 90 days.
    expect(f.acknowledgedInTime).toEqual({ settled: 31, met: 16, share: 0.5161 });
    expect(f.closedInTime).toEqual({ settled: 31, met: 8, share: 0.2581 });
  });

  it('counts transfers, protection and identity requests made in the period', async () => {
    const f = await figures('handler');
    expect(f.transfers).toEqual({ in: 1, out: 1, byInstitution: [{ organisationId: org.mediateur, in: 1, out: 1 }] });
    expect(f.protection).toEqual({ requests: 3, reprisals: 2 });
    expect(counts(f.custody, 'status')).toEqual({ pending: 1, approved: 1, refused: 2, disclosed: 1 });
  });

  it('gives custodians and admins of the institution the same figures', async () => {
    const handler = await figures('handler');
    expect(await figures('custodian')).toEqual(handler);
    expect(await figures('admin')).toEqual(handler);
  });

  it('filters by channel, transfers included', async () => {
    const p = await figures('handler', `${year2025}&channel=${channel.P}`);
    expect(p).toMatchObject({ channelId: channel.P, received: 12, transfers: { in: 0, out: 0, byInstitution: [] } });
    expect(p.byChannel).toEqual([{ channelId: channel.P, count: 12 }]);
    const c = await figures('handler', `${year2025}&channel=${channel.C}`);
    expect(c).toMatchObject({ received: 18, transfers: { in: 0, out: 1 } });
  });

  it('counts the current year by default', async () => {
    const f = await figures('handler', '');
    expect(f).toMatchObject({ from: `${thisYear}-01-01`, to: `${thisYear}-12-31`, received: 1, protection: { requests: 1, reprisals: 0 }, transfers: { in: 0, out: 0 } });
  });
});

describe('scope', () => {
  it('shows the Médiateur its own figures, with the same two transfers seen from its side', async () => {
    const f = await figures('mediateur');
    expect(f).toMatchObject({ organisationId: org.mediateur, received: 4, protection: { requests: 0, reprisals: 1 } });
    expect(counts(f.byChannel, 'channelId')).toEqual({ [channel.M]: 3, [channel.C]: 1 });
    expect(counts(f.byStatus, 'status')).toEqual({ received: 1, acknowledged: 1, assessment: 1, investigation: 0, closed: 1 });
    expect(f.timeToAcknowledge).toEqual({ cases: 3, median: 3, p90: 8.6 });
    expect(f.transfers).toEqual({ in: 1, out: 1, byInstitution: [{ organisationId: org.inpplc, in: 1, out: 1 }] });
    expect(counts(f.custody, 'status')).toEqual({ pending: 1, approved: 0, refused: 0, disclosed: 0 });
  });

  it('never lets another institution\'s staff ask for the INPPLC\'s figures', async () => {
    const res = await api('mediateur', `${year2025}&organisation=${org.inpplc}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    const page = await browsers.mediateur!.get(`/fr/staff/cases/statistics?${year2025}&organisation=${org.inpplc}`);
    expect(page.statusCode).toBe(403);
    // Naming one's own organisation is fine.
    expect((await api('mediateur', `${year2025}&organisation=${org.mediateur}`)).statusCode).toBe(200);
  });

  it('shows an office only the cases assigned to it', async () => {
    const f = await figures('office');
    expect(f).toMatchObject({ organisationId: org.office, received: 3, transfers: { in: 0, out: 0, byInstitution: [] } });
    expect(counts(f.byStatus, 'status')).toEqual({ received: 1, acknowledged: 0, assessment: 1, investigation: 0, closed: 1 });
    expect(f.timeToAcknowledge).toEqual({ cases: 2, median: 5.5, p90: 6.7 });
  });

  it('lets a platform admin see every institution, or choose one', async () => {
    const all = await figures('platform');
    expect(all).toMatchObject({ organisationId: null, received: 35, transfers: { in: 2, out: 2, byInstitution: [] }, protection: { requests: 3, reprisals: 3 } });
    const inpplc = await figures('platform', `${year2025}&organisation=${org.inpplc}`);
    expect(inpplc).toEqual(await figures('handler'));
    const unknown = await api('platform', `${year2025}&organisation=999999`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'organisation' })]);
  });
});

describe('publication', () => {
  it('suppresses every count below 5 and what is computed from fewer than 5 cases', async () => {
    const f = await figures('handler', `${year2025}&view=published`);
    expect(f).toMatchObject({ suppressedBelow: 5, received: 31 });
    expect(counts(f.byChannel, 'channelId')).toEqual({ [channel.C]: 18, [channel.P]: 12, [channel.M]: null });
    expect(counts(f.byStatus, 'status')).toEqual({ received: 5, acknowledged: 6, assessment: 5, investigation: null, closed: 12 });
    expect(counts(f.byOutcome, 'outcome')).toEqual({ founded: 5, 'partly-founded': null, unfounded: null, 'not-competent': null, 'no-follow-up-possible': null, withdrawn: null });
    expect(Object.values(counts(f.byRegion, 'region')).filter((n) => n !== null)).toEqual([12, 10, 8]);
    expect(counts(f.byMonth, 'month')).toMatchObject({ '2025-01': null, '2025-03': 16, '2025-04': 14, '2025-05': null });
    expect(f.timeToAcknowledge).toEqual({ cases: 24, median: 6, p90: 13.4 });
    expect(f.timeToFeedback).toEqual({ cases: 12, median: 77.5, p90: 118 });
    expect(f.acknowledgedInTime).toEqual({ settled: 31, met: 16, share: 0.5161 });
    expect(f.closedInTime).toEqual({ settled: 31, met: 8, share: 0.2581 });
    expect(f.transfers).toEqual({ in: null, out: null, byInstitution: [{ organisationId: org.mediateur, in: null, out: null }] });
    expect(f.protection).toEqual({ requests: null, reprisals: null });
    expect(f.custody.map((c: { count: number | null }) => c.count)).toEqual([null, null, null, null]);
  });

  it('publishes nothing computed from the Médiateur\'s four reports', async () => {
    const f = await figures('mediateur', `${year2025}&view=published`);
    expect(f).toMatchObject({ received: null, timeToAcknowledge: { cases: null, median: null, p90: null }, acknowledgedInTime: { settled: null, met: null, share: null }, closedInTime: { share: null } });
    expect(JSON.stringify([f.byChannel, f.byStatus, f.byRegion, f.byMonth, f.custody, f.transfers, f.protection])).not.toMatch(/"(count|in|out|requests|reprisals)":[0-9]/);
  });
});

describe('API access and input', () => {
  it('answers 401 to anonymous callers, whatever the query', async () => {
    for (const query of ['', year2025, 'from=nonsense&view=everything', `organisation=${org.inpplc}`]) {
      const res = await api(null, query);
      expect(res.statusCode, query).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
  });

  it('answers 403 to staff without a case role, whatever the query', async () => {
    for (const query of [year2025, 'from=nonsense']) expect((await api('publisher', query)).statusCode).toBe(403);
  });

  it('refuses a malformed or reversed period with the field named', async () => {
    const bad = await api('handler', 'from=2025-02-30');
    expect(bad.statusCode).toBe(400);
    const reversed = await api('handler', 'from=2025-06-01&to=2025-05-31');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors).toEqual([expect.objectContaining({ field: 'to' })]);
    expect((await api('handler', 'from=2000-01-01&to=2025-12-31')).statusCode).toBe(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const op = doc.paths['/api/v1/cases/statistics'].get;
    expect(op).toMatchObject({ operationId: 'caseStatistics', tags: ['cases'], security: [{ session: [] }] });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
  });
});

describe('pages', () => {
  it('sends anonymous visitors to sign in', async () => {
    const res = await t.app.inject(`/fr/staff/cases/statistics?${year2025}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/fr/staff/sign-in?next=');
    expect((await t.app.inject('/fr/staff/cases/statistics.csv')).statusCode).toBe(303);
  });

  it('shows each chart beside a table that says the same, without inline styles', async () => {
    const res = await browsers.handler!.get(`/fr/staff/cases/statistics?${year2025}&channel=&view=staff`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('Signalements reçus du 2025-01-01 au 2025-12-31');
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(6);
    expect(html).toContain('<caption>Signalements par canal</caption>');
    expect(html).toContain('<th scope="row">Signaler une corruption</th><td>18</td>');
    expect(html).toContain('<th scope="row">Casablanca-Settat</th><td>10</td>');
    expect(html).toContain('<th scope="row">reçu</th><td>5</td>');
    expect(html).toContain('<th scope="row">fondé</th><td>5</td>');
    expect(html).toContain('<td>24</td><td>6</td><td>13,4</td>');
    // 16 of 31 acknowledged in time, as French writes a percentage.
    expect(html).toContain(new Intl.NumberFormat('fr-MA', { style: 'percent', maximumFractionDigits: 0 }).format(16 / 31));
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toContain('<script');
    expect(html).toContain('href="/fr/staff/cases/statistics.csv?from=2025-01-01&amp;to=2025-12-31&amp;channel=&amp;view=staff"');
  });

  it('mirrors charts in Arabic and shows suppressed counts as "fewer than 5"', async () => {
    const res = await browsers.handler!.get(`/ar/staff/cases/statistics?${year2025}&view=published`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    expect(res.body).toContain('direction="rtl"');
    // Bars start at the right edge (x + width = 480) and labels are anchored there.
    const bar = res.body.match(/<rect class="chart-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/)!;
    expect(Number(bar[1]) + Number(bar[2])).toBeCloseTo(480);
    expect(res.body).toContain('<text class="chart-label" x="480"');
    expect(res.body).toContain('<th scope="row">غير محددة</th><td>أقل من 5</td>');
    // The Médiateur's four reports: no median or share is shown.
    const mediateur = await browsers.mediateur!.get(`/ar/staff/cases/statistics?${year2025}&view=published`);
    expect(mediateur.body).toContain('غير معروض (أقل من 5 ملفات)');
    expect(mediateur.body).not.toContain('<rect');
  });

  it('re-renders the form with the problem named when the period is wrong', async () => {
    const res = await browsers.handler!.get('/en/staff/cases/statistics?from=2025-06-01&to=2025-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#to">The end of the period must be on or after its start</a>');
    const malformed = await browsers.handler!.get('/en/staff/cases/statistics?from=yesterday');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('<a href="#from">');
  });

  it('links the page from the staff navigation of those who may see it', async () => {
    expect((await browsers.custodian!.get('/fr/staff')).body).toContain('href="/fr/staff/cases/statistics"');
    expect((await browsers.platform!.get('/fr/staff')).body).toContain('href="/fr/staff/cases/statistics"');
    expect((await browsers.publisher!.get('/fr/staff')).body).not.toContain('/staff/cases/statistics');
  });
});

describe('CSV', () => {
  it('downloads the staff figures, one a row, with stable codes and labels in the page\'s language', async () => {
    const res = await browsers.handler!.get(`/fr/staff/cases/statistics.csv?${year2025}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="case-statistics-${org.inpplc}-2025-01-01-2025-12-31.csv"`);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual(['section', 'code', 'label', 'value', 'suppressed']);
    const value = (section: string, code: string) => rows.find((r) => r[0] === section && r[1] === code)?.[3];
    expect(value('received', 'total')).toBe('31');
    expect(value('channel', String(channel.C))).toBe('18');
    expect(value('region', 'none')).toBe('1');
    expect(value('status', 'closed')).toBe('12');
    expect(value('outcome', 'withdrawn')).toBe('1');
    expect(value('month', '2025-04')).toBe('14');
    expect(value('time_to_acknowledge', 'p90_days')).toBe('13.4');
    expect(value('time_to_feedback', 'median_days')).toBe('77.5');
    expect(value('acknowledged_in_time', 'share')).toBe('0.5161');
    expect(value('transfers_out', String(org.mediateur))).toBe('1');
    expect(value('protection', 'reprisals')).toBe('2');
    expect(value('custody', 'refused')).toBe('2');
    expect(rows.find((r) => r[0] === 'status' && r[1] === 'closed')?.[2]).toBe('clôturé');
    expect(rows.slice(1).every((r) => r[4] === '')).toBe(true);
  });

  it('marks suppressed values in the publication preview', async () => {
    const rows = parseCsv((await browsers.handler!.get(`/en/staff/cases/statistics.csv?${year2025}&view=published`)).body);
    expect(rows.find((r) => r[0] === 'custody' && r[1] === 'refused')).toEqual(['custody', 'refused', 'Refused', '', 'yes']);
    expect(rows.find((r) => r[0] === 'received')).toEqual(['received', 'total', 'Reports received', '31', '']);
  });

  it('refuses the Médiateur\'s staff the INPPLC\'s CSV', async () => {
    expect((await browsers.mediateur!.get(`/fr/staff/cases/statistics.csv?${year2025}&organisation=${org.inpplc}`)).statusCode).toBe(403);
  });
});
