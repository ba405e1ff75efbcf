// The SQL of retention: legal holds, scheduling deletions, the record purged cases leave for
// statistics, and giving the freed space back. Days are 'YYYY-MM-DD' text; the date arithmetic
// (closed day + retention) is done by the service, so the queries stay the same on both engines.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../db/index.js';
import type { DB, PurgedCaseItemTable, PurgedCaseTable } from '../../db/schema.js';

export interface ClosedCase {
  report_id: number;
  organisation_id: number;
  office_id: number | null;
  channel_id: number;
  region: string | null;
  outcome: string | null;
  status: string;
  received_day: string;
  ack_due_day: string;
  feedback_due_day: string;
  acknowledged_day: string | null;
  closed_day: string | null;
  legal_hold: number;
  deletion_day: string | null;
  retention_days: number;
}

const closed = (r: ClosedCase): ClosedCase => ({
  ...r, report_id: Number(r.report_id), organisation_id: Number(r.organisation_id), office_id: r.office_id === null ? null : Number(r.office_id),
  channel_id: Number(r.channel_id), legal_hold: Number(r.legal_hold), retention_days: Number(r.retention_days),
});

function withRetention(db: Kysely<DB>) {
  return db.selectFrom('cases').innerJoin('channels', 'channels.id', 'cases.channel_id').select([
    'cases.report_id', 'cases.organisation_id', 'cases.office_id', 'cases.channel_id', 'cases.region', 'cases.outcome', 'cases.status',
    'cases.received_day', 'cases.ack_due_day', 'cases.feedback_due_day', 'cases.acknowledged_day', 'cases.closed_day',
    'cases.legal_hold', 'cases.deletion_day', 'channels.retention_days',
  ]);
}

/** The shortest retention of any channel: no case closed after (horizon − it) can be due. */
export async function shortestRetention(db: Kysely<DB>): Promise<number | null> {
  const r = await db.selectFrom('channels').select((eb) => eb.fn.min('retention_days').as('days')).executeTakeFirst();
  return r?.days === null || r?.days === undefined ? null : Number(r.days);
}

/** Closed cases not on hold, closed on or before a day; `unscheduled`: only those whose deletion is not set yet. */
export async function closedCases(db: Kysely<DB>, o: { closedOnOrBefore: string; unscheduled?: boolean }): Promise<ClosedCase[]> {
  let q = withRetention(db).where('cases.status', '=', 'closed').where('cases.legal_hold', '=', 0).where('cases.closed_day', '<=', o.closedOnOrBefore);
  if (o.unscheduled) q = q.where('cases.deletion_day', 'is', null);
  return (await q.orderBy('cases.report_id').execute()).map(closed);
}

/** Closed cases not on hold whose deletion day has come. */
export async function scheduledBy(db: Kysely<DB>, day: string): Promise<ClosedCase[]> {
  const rows = await withRetention(db).where('cases.status', '=', 'closed').where('cases.legal_hold', '=', 0)
    .where('cases.deletion_day', 'is not', null).where('cases.deletion_day', '<=', day).orderBy('cases.report_id').execute();
  return rows.map(closed);
}

/**
 * Sets the deletion day of a closed case not on hold whose deletion is not set yet. False when
 * another process did it first (on PostgreSQL the second update waits for the first's row lock and
 * then finds the day set), so each case is warned about once.
 */
export async function scheduleDeletion(trx: Kysely<DB>, reportId: number, day: string): Promise<boolean> {
  const r = await trx.updateTable('cases').set({ deletion_day: day }).where('report_id', '=', reportId)
    .where('status', '=', 'closed').where('legal_hold', '=', 0).where('deletion_day', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findCase(db: Kysely<DB>, reportId: number): Promise<ClosedCase | undefined> {
  const r = await withRetention(db).where('cases.report_id', '=', reportId).executeTakeFirst();
  return r ? closed(r) : undefined;
}

/** The case with its channel's retention, locked until the transaction ends (PostgreSQL; SQLite's write transaction already excludes others). */
export async function lockCase(trx: Kysely<DB>, dialect: Dialect, reportId: number): Promise<ClosedCase | undefined> {
  const q = withRetention(trx).where('cases.report_id', '=', reportId);
  const r = await (dialect === 'postgres' ? q.forUpdate('cases') : q).executeTakeFirst();
  return r ? closed(r) : undefined;
}

/** Sets or clears the hold; either way the deletion is unscheduled, so that a lifted hold is warned about anew. */
export async function setHold(trx: Kysely<DB>, reportId: number, hold: boolean): Promise<boolean> {
  const r = await trx.updateTable('cases').set({ legal_hold: hold ? 1 : 0, deletion_day: null }).where('report_id', '=', reportId)
    .where('legal_hold', '=', hold ? 0 : 1).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertHold(trx: Kysely<DB>, row: { report_id: number; action: 'placed' | 'released'; reason: string; actor_id: number; day: string }): Promise<void> {
  await trx.insertInto('case_holds').values(row).execute();
}

export async function listHolds(db: Kysely<DB>, reportId: number) {
  const rows = await db.selectFrom('case_holds').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), actor_id: r.actor_id === null ? null : Number(r.actor_id) }));
}

/** What statistics count of a case besides its own row: transfers, protection requests, reprisals, identity requests. */
export async function countedItems(db: Kysely<DB>, reportId: number): Promise<Omit<PurgedCaseItemTable, 'id' | 'purged_case_id'>[]> {
  const transfers = await db.selectFrom('case_transfers').select(['from_organisation_id', 'to_organisation_id', 'day']).where('report_id', '=', reportId).orderBy('id').execute();
  const protection = await db.selectFrom('protection_items').select(['kind', 'day']).where('report_id', '=', reportId).where('kind', 'in', ['protection', 'reprisal']).orderBy('id').execute();
  const custody = await db.selectFrom('custody_requests').select(['status', 'requested_day']).where('report_id', '=', reportId).orderBy('id').execute();
  return [
    ...transfers.map((t) => ({ kind: 'transfer' as const, status: null, from_organisation_id: Number(t.from_organisation_id), to_organisation_id: Number(t.to_organisation_id), day: t.day })),
    ...protection.map((p) => ({ kind: p.kind as 'protection' | 'reprisal', status: null, from_organisation_id: null, to_organisation_id: null, day: p.day })),
    ...custody.map((c) => ({ kind: 'custody' as const, status: c.status, from_organisation_id: null, to_organisation_id: null, day: c.requested_day })),
  ];
}

export async function insertPurgedCase(trx: Kysely<DB>, row: Omit<PurgedCaseTable, 'id'>, items: Omit<PurgedCaseItemTable, 'id' | 'purged_case_id'>[]): Promise<void> {
  const id = Number((await trx.insertInto('purged_cases').values(row).returning('id').executeTakeFirstOrThrow()).id);
  if (items.length) await trx.insertInto('purged_case_items').values(items.map((i) => ({ ...i, purged_case_id: id }))).execute();
}

// Tables that held a purged case's rows.
const PURGED_TABLES = ['reports', 'report_messages', 'reporter_sessions', 'report_keys', 'report_attachments', 'cases', 'case_events', 'case_transfers', 'case_notes', 'custody_requests', 'protection_items', 'case_holds'];

/**
 * Gives the space of deleted rows back after a purge. SQLite (secure_delete already zeroes deleted
 * content): the freed pages leave the file by an incremental vacuum, or, the first time on a file
 * made before auto-vacuum was set, by one full VACUUM that switches it on; then a TRUNCATE
 * checkpoint copies the WAL into the file and empties it, so no older page version stays in the
 * -wal file. PostgreSQL: VACUUM lets the dead rows' space be reused (their bytes stay in the data
 * files until overwritten; see docs/operations.md). Returns what was done, for the log.
 */
export async function reclaimSpace(db: Kysely<DB>, dialect: Dialect): Promise<{ vacuum: 'incremental' | 'full' | 'postgres'; checkpointBusy: boolean }> {
  if (dialect === 'postgres') {
    await sql`vacuum ${sql.join(PURGED_TABLES.map((t) => sql.table(t)))}`.execute(db);
    return { vacuum: 'postgres', checkpointBusy: false };
  }
  const mode = Number((await sql<{ auto_vacuum: number }>`pragma auto_vacuum`.execute(db)).rows[0]?.auto_vacuum ?? 0);
  let vacuum: 'incremental' | 'full' = 'incremental';
  if (mode === 2) {
    await sql`pragma incremental_vacuum`.execute(db);
  } else {
    await sql`pragma auto_vacuum = incremental`.execute(db);
    await sql`vacuum`.execute(db);
    vacuum = 'full';
  }
  const checkpoint = (await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(db)).rows[0];
  return { vacuum, checkpointBusy: Number(checkpoint?.busy ?? 0) !== 0 };
}
