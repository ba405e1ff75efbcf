import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CaseTable, CustodyRequestTable, DB } from '../../db/schema.js';

export type CaseRow = Selectable<CaseTable>;
export type CustodyRow = Selectable<CustodyRequestTable>;

const nullableNumber = (v: number | null) => (v === null ? null : Number(v));
const caseRow = (r: CaseRow): CaseRow => ({
  ...r, report_id: Number(r.report_id), organisation_id: Number(r.organisation_id), office_id: nullableNumber(r.office_id),
  handler_id: nullableNumber(r.handler_id), channel_id: Number(r.channel_id),
});
const custodyRow = (r: CustodyRow): CustodyRow => ({
  ...r, id: Number(r.id), report_id: Number(r.report_id), requester_id: Number(r.requester_id), custodian_id: nullableNumber(r.custodian_id), legal_exception: Number(r.legal_exception),
});

export async function insertCase(db: Kysely<DB>, row: Insertable<CaseTable>): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

export async function findCase(db: Kysely<DB>, reportId: number): Promise<CaseRow | undefined> {
  const r = await db.selectFrom('cases').selectAll().where('report_id', '=', reportId).executeTakeFirst();
  return r ? caseRow(r) : undefined;
}

export interface InboxFilter {
  /** Cases of these organisations, or assigned to these offices. */
  organisationIds: number[];
  status?: string | undefined;
  channelId?: number | undefined;
  region?: string | undefined;
  handlerId?: number | 'none' | undefined;
  overdueOn?: string | undefined;
  label?: string | undefined;
  /** Retention: cases not on hold whose deletion is scheduled ("scheduled"), or scheduled on this day. */
  deletion?: string | undefined;
  sort: 'received' | 'received-desc' | 'due';
  offset: number;
  limit: number;
}

export async function listCases(db: Kysely<DB>, f: InboxFilter): Promise<{ rows: CaseRow[]; total: number }> {
  if (f.organisationIds.length === 0) return { rows: [], total: 0 };
  let q = db.selectFrom('cases').where((eb) => eb.or([eb('organisation_id', 'in', f.organisationIds), eb('office_id', 'in', f.organisationIds)]));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.channelId) q = q.where('channel_id', '=', f.channelId);
  if (f.region) q = q.where('region', '=', f.region);
  if (f.handlerId === 'none') q = q.where('handler_id', 'is', null);
  else if (f.handlerId) q = q.where('handler_id', '=', f.handlerId);
  if (f.overdueOn) {
    const day = f.overdueOn;
    q = q.where('status', '!=', 'closed').where((eb) => eb.or([
      eb.and([eb('acknowledged_day', 'is', null), eb('ack_due_day', '<', day)]),
      eb('feedback_due_day', '<', day),
      eb('other_due_day', '<', day),
    ]));
  }
  // Labels are a JSON array of simple tokens ([a-z0-9-]), so a quoted match is exact.
  if (f.label) q = q.where('labels', 'like', `%"${f.label}"%`);
  if (f.deletion) {
    q = q.where('legal_hold', '=', 0);
    q = f.deletion === 'scheduled' ? q.where('deletion_day', 'is not', null) : q.where('deletion_day', '=', f.deletion);
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let rows = q.selectAll();
  if (f.deletion) rows = rows.orderBy('deletion_day').orderBy('report_id');
  else if (f.sort === 'due') rows = rows.orderBy('ack_due_day').orderBy('report_id');
  else if (f.sort === 'received-desc') rows = rows.orderBy('received_day', 'desc').orderBy('report_id', 'desc');
  else rows = rows.orderBy('received_day').orderBy('report_id');
  return { rows: (await rows.limit(f.limit).offset(f.offset).execute()).map(caseRow), total };
}

export async function updateCase(db: Kysely<DB>, reportId: number, set: Omit<Updateable<CaseTable>, 'report_id'>): Promise<void> {
  await db.updateTable('cases').set(set).where('report_id', '=', reportId).execute();
}

export async function reassignHandler(db: Kysely<DB>, organisationId: number, fromUserId: number, toUserId: number, day: string): Promise<number[]> {
  const ids = (await db.selectFrom('cases').select('report_id').where('handler_id', '=', fromUserId)
    .where((eb) => eb.or([eb('organisation_id', '=', organisationId), eb('office_id', '=', organisationId)])).where('status', '!=', 'closed').execute()).map((r) => Number(r.report_id));
  if (ids.length) await db.updateTable('cases').set({ handler_id: toUserId, updated_day: day }).where('report_id', 'in', ids).execute();
  return ids;
}

export async function insertEvent(db: Kysely<DB>, row: { report_id: number; organisation_id: number; actor_id: number | null; kind: string; details: Record<string, unknown>; day: string }): Promise<void> {
  await db.insertInto('case_events').values({ ...row, details: JSON.stringify(row.details) }).execute();
}

export async function listEvents(db: Kysely<DB>, reportId: number) {
  const rows = await db.selectFrom('case_events').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), actor_id: nullableNumber(r.actor_id), organisation_id: Number(r.organisation_id), details: JSON.parse(r.details) as Record<string, unknown> }));
}

export async function insertTransfer(db: Kysely<DB>, row: { report_id: number; from_organisation_id: number; to_organisation_id: number; actor_id: number; day: string }): Promise<void> {
  await db.insertInto('case_transfers').values(row).execute();
}

export async function transfersOf(db: Kysely<DB>, organisationId: number) {
  const rows = await db.selectFrom('case_transfers').selectAll()
    .where((eb) => eb.or([eb('from_organisation_id', '=', organisationId), eb('to_organisation_id', '=', organisationId)])).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), report_id: Number(r.report_id), from_organisation_id: Number(r.from_organisation_id), to_organisation_id: Number(r.to_organisation_id) }));
}

export async function insertNote(db: Kysely<DB>, row: { report_id: number; author_id: number; body: string; day: string }): Promise<void> {
  await db.insertInto('case_notes').values(row).execute();
}

export async function listNotes(db: Kysely<DB>, reportId: number) {
  const rows = await db.selectFrom('case_notes').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), author_id: nullableNumber(r.author_id) }));
}

export async function insertCustodyRequest(db: Kysely<DB>, row: { report_id: number; requester_id: number; reason: string; requested_day: string }): Promise<number> {
  return Number((await db.insertInto('custody_requests').values({ ...row, status: 'pending', legal_exception: 0 }).returning('id').executeTakeFirstOrThrow()).id);
}

export async function findCustodyRequest(db: Kysely<DB>, id: number): Promise<CustodyRow | undefined> {
  const r = await db.selectFrom('custody_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? custodyRow(r) : undefined;
}

export async function listCustodyRequests(db: Kysely<DB>, by: { reportId?: number; reportIds?: number[]; status?: CustodyRow['status'] }): Promise<CustodyRow[]> {
  let q = db.selectFrom('custody_requests').selectAll();
  if (by.reportId !== undefined) q = q.where('report_id', '=', by.reportId);
  if (by.reportIds !== undefined) {
    if (by.reportIds.length === 0) return [];
    q = q.where('report_id', 'in', by.reportIds);
  }
  if (by.status) q = q.where('status', '=', by.status);
  return (await q.orderBy('id').execute()).map(custodyRow);
}

/** Moves a request on only from the expected state: two custodians deciding at once cannot both win. */
export async function updateCustodyRequest(db: Kysely<DB>, id: number, from: CustodyRow['status'], set: Partial<Omit<CustodyRequestTable, 'id'>>): Promise<boolean> {
  const r = await db.updateTable('custody_requests').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Report ids of the open cases an organisation (or office) holds: the custodian's queue. */
export async function caseIdsOf(db: Kysely<DB>, organisationIds: number[]): Promise<number[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db.selectFrom('cases').select('report_id')
    .where((eb) => eb.or([eb('organisation_id', 'in', organisationIds), eb('office_id', 'in', organisationIds)])).execute();
  return rows.map((r) => Number(r.report_id));
}

export async function insertProtectionItem(db: Kysely<DB>, row: { report_id: number; kind: 'protection' | 'reprisal' | 'measure'; body: string; status: string; follow_up_day: string | null; day: string }): Promise<number> {
  return Number((await db.insertInto('protection_items').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

export async function updateProtectionItem(db: Kysely<DB>, id: number, reportId: number, set: { status: string; follow_up_day: string | null }): Promise<boolean> {
  const r = await db.updateTable('protection_items').set(set).where('id', '=', id).where('report_id', '=', reportId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listProtectionItems(db: Kysely<DB>, reportId: number) {
  const rows = await db.selectFrom('protection_items').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), report_id: Number(r.report_id) }));
}

/** Open cases with a clock running out by `horizon` (or already past it). */
export async function casesDueBy(db: Kysely<DB>, horizon: string, organisationIds?: number[]): Promise<CaseRow[]> {
  if (organisationIds?.length === 0) return [];
  let q = db.selectFrom('cases').selectAll().where('status', '!=', 'closed');
  if (organisationIds) q = q.where((eb) => eb.or([eb('organisation_id', 'in', organisationIds), eb('office_id', 'in', organisationIds)]));
  const rows = await q
    .where((eb) => eb.or([
      eb.and([eb('acknowledged_day', 'is', null), eb('ack_due_day', '<=', horizon)]),
      eb('feedback_due_day', '<=', horizon),
      eb('other_due_day', '<=', horizon),
    ])).orderBy('report_id').execute();
  return rows.map(caseRow);
}
