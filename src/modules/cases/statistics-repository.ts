// The SQL of case statistics: counts grouped in the database, and the few per-case days that
// medians need. Metadata only (no content is ever read). One query set for SQLite and PostgreSQL:
// days are 'YYYY-MM-DD' text, so comparing them as strings compares them as days.
// Cases deleted at the end of their retention count too: each figure adds what purged_cases (and
// purged_case_items) kept of them, a twin query merged here, so the service sees one set of cases.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface StatisticsFilter {
  /** Cases held by these organisations or assigned to them (offices); null: every organisation. */
  organisationIds: number[] | null;
  /** First and last day of the period, inclusive. */
  from: string;
  to: string;
  channelId?: number | undefined;
}

type CaseRef = ExpressionBuilder<DB, 'cases'>;

// An empty list would be `in ()`, which neither dialect accepts: the service never passes one.
const holds = (eb: CaseRef, ids: number[]) => eb.or([eb('cases.organisation_id', 'in', ids), eb('cases.office_id', 'in', ids)]);

/** Cases received in the period, in scope. */
function received(db: Kysely<DB>, f: StatisticsFilter) {
  let q = db.selectFrom('cases').where('cases.received_day', '>=', f.from).where('cases.received_day', '<=', f.to);
  if (f.organisationIds) { const ids = f.organisationIds; q = q.where((eb) => holds(eb, ids)); }
  if (f.channelId !== undefined) q = q.where('cases.channel_id', '=', f.channelId);
  return q;
}

type PurgedRef = ExpressionBuilder<DB, 'purged_cases'>;
const purgedHeld = (eb: PurgedRef, ids: number[]) => eb.or([eb('purged_cases.organisation_id', 'in', ids), eb('purged_cases.office_id', 'in', ids)]);

/** Purged cases in scope (whenever received). */
function purgedInScope(db: Kysely<DB>, f: StatisticsFilter) {
  let q = db.selectFrom('purged_cases');
  if (f.organisationIds) { const ids = f.organisationIds; q = q.where((eb) => purgedHeld(eb, ids)); }
  if (f.channelId !== undefined) q = q.where('purged_cases.channel_id', '=', f.channelId);
  return q;
}

/** Purged cases received in the period, in scope: every one was closed. */
const purgedReceived = (db: Kysely<DB>, f: StatisticsFilter) =>
  purgedInScope(db, f).where('purged_cases.received_day', '>=', f.from).where('purged_cases.received_day', '<=', f.to);

/** Adds up grouped counts from live and purged cases; keys compared as text, as the engines may type them differently. */
function merge<R extends { n: number }>(key: (r: R) => string, ...lists: R[][]): R[] {
  const out = new Map<string, R>();
  for (const r of lists.flat()) {
    const k = key(r);
    const seen = out.get(k);
    out.set(k, seen ? { ...seen, n: seen.n + r.n } : r);
  }
  return [...out.values()];
}
const keyText = (v: unknown) => (v === null ? '\u0000null' : String(v));

export type CaseDimension = 'channel_id' | 'region' | 'status' | 'outcome' | 'received_day';

/** How many cases received in the period fall in each value of one column (days: the service makes months). */
export async function countCasesBy(db: Kysely<DB>, f: StatisticsFilter, column: CaseDimension): Promise<{ key: string | number | null; n: number }[]> {
  const rows = await received(db, f)
    .select((eb) => [eb.ref(`cases.${column}`).as('key'), eb.fn.countAll<number | string>().as('n')])
    .groupBy(`cases.${column}`)
    .execute();
  const live = rows.map((r) => ({ key: r.key as string | number | null, n: Number(r.n) }));
  const gone = column === 'status'
    ? [{ key: 'closed', n: Number((await purgedReceived(db, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n) }].filter((r) => r.n > 0)
    : (await purgedReceived(db, f).select((eb) => [eb.ref(`purged_cases.${column}`).as('key'), eb.fn.countAll<number | string>().as('n')]).groupBy(`purged_cases.${column}`).execute())
      .map((r) => ({ key: r.key as string | number | null, n: Number(r.n) }));
  return merge((r) => keyText(r.key), live, gone);
}

export interface DeadlineCounts {
  /** Acknowledged, closed, or past the acknowledgement due day without either: the acknowledgement deadline is settled. */
  ackSettled: number;
  ackMet: number;
  /** Closed, or past the feedback due day while still open. */
  feedbackSettled: number;
  feedbackMet: number;
}

/** Deadlines met and settled among cases received in the period, as of `asOf` (the day counted as today). */
export async function deadlineCounts(db: Kysely<DB>, f: StatisticsFilter, asOf: string): Promise<DeadlineCounts> {
  // Literal 1 and 0: PostgreSQL cannot type `sum(case … then $1 …)` from bare parameters.
  const r = await received(db, f).select((eb) => {
    const count = (cond: ReturnType<typeof eb.and>) => eb.fn.sum<number | string | null>(eb.case().when(cond).then(eb.lit(1)).else(eb.lit(0)).end());
    return [
      count(eb.or([eb('cases.acknowledged_day', 'is not', null), eb('cases.closed_day', 'is not', null), eb('cases.ack_due_day', '<', asOf)])).as('ack_settled'),
      count(eb.and([eb('cases.acknowledged_day', 'is not', null), eb('cases.acknowledged_day', '<=', eb.ref('cases.ack_due_day'))])).as('ack_met'),
      count(eb.or([eb('cases.closed_day', 'is not', null), eb('cases.feedback_due_day', '<', asOf)])).as('feedback_settled'),
      count(eb.and([eb('cases.closed_day', 'is not', null), eb('cases.closed_day', '<=', eb.ref('cases.feedback_due_day'))])).as('feedback_met'),
    ];
  }).executeTakeFirstOrThrow();
  // The same over purged cases, all closed: their deadlines are settled.
  const p = await purgedReceived(db, f).select((eb) => {
    const count = (cond: ReturnType<typeof eb.and>) => eb.fn.sum<number | string | null>(eb.case().when(cond).then(eb.lit(1)).else(eb.lit(0)).end());
    return [
      eb.fn.countAll<number | string>().as('settled'),
      count(eb.and([eb('purged_cases.acknowledged_day', 'is not', null), eb('purged_cases.acknowledged_day', '<=', eb.ref('purged_cases.ack_due_day'))])).as('ack_met'),
      count(eb.and([eb('purged_cases.closed_day', 'is not', null), eb('purged_cases.closed_day', '<=', eb.ref('purged_cases.feedback_due_day'))])).as('feedback_met'),
    ];
  }).executeTakeFirstOrThrow();
  // sum() over no rows is NULL in both dialects, and PostgreSQL returns bigint sums as strings.
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  return {
    ackSettled: n(r.ack_settled) + n(p.settled), ackMet: n(r.ack_met) + n(p.ack_met),
    feedbackSettled: n(r.feedback_settled) + n(p.settled), feedbackMet: n(r.feedback_met) + n(p.feedback_met),
  };
}

/** The days of each case received in the period that was acknowledged or closed: medians need every value. */
export async function answeredDays(db: Kysely<DB>, f: StatisticsFilter): Promise<{ received_day: string; acknowledged_day: string | null; closed_day: string | null }[]> {
  const live = await received(db, f)
    .select(['cases.received_day', 'cases.acknowledged_day', 'cases.closed_day'])
    .where((eb) => eb.or([eb('cases.acknowledged_day', 'is not', null), eb('cases.closed_day', 'is not', null)]))
    .execute();
  const gone = await purgedReceived(db, f).select(['purged_cases.received_day', 'purged_cases.acknowledged_day', 'purged_cases.closed_day']).execute();
  return [...live, ...gone];
}

/**
 * Transfers made in the period that left or reached the scope, per pair of institutions. Both the
 * sender and the receiver count them (the sender no longer holds the case, so only this table
 * remembers it). With a channel, only transfers of cases that came in through it.
 */
export async function transferCounts(db: Kysely<DB>, f: StatisticsFilter): Promise<{ from: number; to: number; n: number }[]> {
  let q = db.selectFrom('case_transfers').where('case_transfers.day', '>=', f.from).where('case_transfers.day', '<=', f.to);
  if (f.organisationIds) {
    const ids = f.organisationIds;
    q = q.where((eb) => eb.or([eb('case_transfers.from_organisation_id', 'in', ids), eb('case_transfers.to_organisation_id', 'in', ids)]));
  }
  if (f.channelId !== undefined) {
    const channelId = f.channelId;
    q = q.where('case_transfers.report_id', 'in', (eb) => eb.selectFrom('cases').select('cases.report_id').where('cases.channel_id', '=', channelId));
  }
  const rows = await q
    .select((eb) => ['case_transfers.from_organisation_id', 'case_transfers.to_organisation_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['case_transfers.from_organisation_id', 'case_transfers.to_organisation_id'])
    .execute();
  let purged = purgedItems(db, f, ['transfer']);
  if (f.organisationIds) {
    const ids = f.organisationIds;
    purged = purged.where((eb) => eb.or([eb('purged_case_items.from_organisation_id', 'in', ids), eb('purged_case_items.to_organisation_id', 'in', ids)]));
  }
  const gone = await purged
    .select((eb) => ['purged_case_items.from_organisation_id', 'purged_case_items.to_organisation_id', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['purged_case_items.from_organisation_id', 'purged_case_items.to_organisation_id'])
    .execute();
  const pair = (r: { from_organisation_id: number | null; to_organisation_id: number | null; n: number | string }) => ({ from: Number(r.from_organisation_id), to: Number(r.to_organisation_id), n: Number(r.n) });
  return merge((r) => `${r.from}>${r.to}`, rows.map(pair), gone.map(pair));
}

/**
 * Dated items of purged cases (transfers, protection requests, reprisals, identity requests) made in
 * the period. Transfers are found by the institutions they link (the caller filters); the others,
 * like live ones, by the institution that held the case.
 */
function purgedItems(db: Kysely<DB>, f: StatisticsFilter, kinds: ('transfer' | 'protection' | 'reprisal' | 'custody')[]) {
  let q = db.selectFrom('purged_case_items').innerJoin('purged_cases', 'purged_cases.id', 'purged_case_items.purged_case_id')
    .where('purged_case_items.kind', 'in', kinds).where('purged_case_items.day', '>=', f.from).where('purged_case_items.day', '<=', f.to);
  if (f.organisationIds && !kinds.includes('transfer')) { const ids = f.organisationIds; q = q.where((eb) => eb.or([eb('purged_cases.organisation_id', 'in', ids), eb('purged_cases.office_id', 'in', ids)])); }
  if (f.channelId !== undefined) q = q.where('purged_cases.channel_id', '=', f.channelId);
  return q;
}

/** Cases in scope (whenever received), for items dated in the period: the organisation holding the case counts them. */
function heldCases(db: Kysely<DB>, f: StatisticsFilter) {
  let q = db.selectFrom('cases').select('cases.report_id');
  if (f.organisationIds) { const ids = f.organisationIds; q = q.where((eb) => holds(eb, ids)); }
  if (f.channelId !== undefined) q = q.where('cases.channel_id', '=', f.channelId);
  return q;
}

/** Requests for protection and reports of reprisals made in the period, by kind (staff measures are not counted). */
export async function protectionCounts(db: Kysely<DB>, f: StatisticsFilter): Promise<{ kind: string; n: number }[]> {
  const rows = await db.selectFrom('protection_items')
    .where('protection_items.day', '>=', f.from).where('protection_items.day', '<=', f.to)
    .where('protection_items.kind', 'in', ['protection', 'reprisal'])
    .where('protection_items.report_id', 'in', heldCases(db, f))
    .select((eb) => ['protection_items.kind', eb.fn.countAll<number | string>().as('n')])
    .groupBy('protection_items.kind')
    .execute();
  const gone = await purgedItems(db, f, ['protection', 'reprisal']).select((eb) => ['purged_case_items.kind', eb.fn.countAll<number | string>().as('n')]).groupBy('purged_case_items.kind').execute();
  return merge((r) => r.kind, rows.map((r) => ({ kind: r.kind as string, n: Number(r.n) })), gone.map((r) => ({ kind: r.kind as string, n: Number(r.n) })));
}

/** Requests for a reporter's identity made in the period, by where they stand now. */
export async function custodyCounts(db: Kysely<DB>, f: StatisticsFilter): Promise<{ status: string; n: number }[]> {
  const rows = await db.selectFrom('custody_requests')
    .where('custody_requests.requested_day', '>=', f.from).where('custody_requests.requested_day', '<=', f.to)
    .where('custody_requests.report_id', 'in', heldCases(db, f))
    .select((eb) => ['custody_requests.status', eb.fn.countAll<number | string>().as('n')])
    .groupBy('custody_requests.status')
    .execute();
  const gone = await purgedItems(db, f, ['custody']).select((eb) => ['purged_case_items.status', eb.fn.countAll<number | string>().as('n')]).groupBy('purged_case_items.status').execute();
  return merge((r) => r.status, rows.map((r) => ({ status: r.status as string, n: Number(r.n) })), gone.map((r) => ({ status: String(r.status), n: Number(r.n) })));
}
