// The SQL of case statistics: counts grouped in the database, and the few per-case days that
// medians need. Metadata only (no content is ever read). One query set for SQLite and PostgreSQL:
// days are 'YYYY-MM-DD' text, so comparing them as strings compares them as days.
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

export type CaseDimension = 'channel_id' | 'region' | 'status' | 'outcome' | 'received_day';

/** How many cases received in the period fall in each value of one column (days: the service makes months). */
export async function countCasesBy(db: Kysely<DB>, f: StatisticsFilter, column: CaseDimension): Promise<{ key: string | number | null; n: number }[]> {
  const rows = await received(db, f)
    .select((eb) => [eb.ref(`cases.${column}`).as('key'), eb.fn.countAll<number | string>().as('n')])
    .groupBy(`cases.${column}`)
    .execute();
  return rows.map((r) => ({ key: r.key, n: Number(r.n) }));
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
  // sum() over no rows is NULL in both dialects, and PostgreSQL returns bigint sums as strings.
  return { ackSettled: Number(r.ack_settled ?? 0), ackMet: Number(r.ack_met ?? 0), feedbackSettled: Number(r.feedback_settled ?? 0), feedbackMet: Number(r.feedback_met ?? 0) };
}

/** The days of each case received in the period that was acknowledged or closed: medians need every value. */
export async function answeredDays(db: Kysely<DB>, f: StatisticsFilter): Promise<{ received_day: string; acknowledged_day: string | null; closed_day: string | null }[]> {
  return received(db, f)
    .select(['cases.received_day', 'cases.acknowledged_day', 'cases.closed_day'])
    .where((eb) => eb.or([eb('cases.acknowledged_day', 'is not', null), eb('cases.closed_day', 'is not', null)]))
    .execute();
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
  return rows.map((r) => ({ from: Number(r.from_organisation_id), to: Number(r.to_organisation_id), n: Number(r.n) }));
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
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** Requests for a reporter's identity made in the period, by where they stand now. */
export async function custodyCounts(db: Kysely<DB>, f: StatisticsFilter): Promise<{ status: string; n: number }[]> {
  const rows = await db.selectFrom('custody_requests')
    .where('custody_requests.requested_day', '>=', f.from).where('custody_requests.requested_day', '<=', f.to)
    .where('custody_requests.report_id', 'in', heldCases(db, f))
    .select((eb) => ['custody_requests.status', eb.fn.countAll<number | string>().as('n')])
    .groupBy('custody_requests.status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}
