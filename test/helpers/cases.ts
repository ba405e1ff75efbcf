// Builders of case metadata for tests that count cases (statistics): a report row with placeholder
// content (nothing here is ever decrypted) and its case, through the repositories, with the dates
// and statuses a test needs. Cases that must be opened or decrypted come from submitReport instead.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { addDays } from '../../src/modules/cases/clocks/calendar.js';
import * as cases from '../../src/modules/cases/repository.js';
import { insertReport } from '../../src/modules/reports/repository.js';

let built = 0;

export interface CaseSpec {
  organisationId: number;
  channelId: number;
  receivedDay: string;
  region?: string | null;
  status?: string;
  outcome?: string | null;
  /** Days after receipt; null: not acknowledged. */
  acknowledgedAfter?: number | null;
  closedAfter?: number | null;
  officeId?: number | null;
  ackDays?: number;
  feedbackDays?: number;
}

/** A case received on `receivedDay`, due for acknowledgement after 7 days and for feedback after 90 (as intake sets them). */
export async function buildCase(db: Kysely<DB>, spec: CaseSpec): Promise<number> {
  built++;
  const key = await db.selectFrom('organisation_keys').select('id').where('organisation_id', '=', spec.organisationId).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const reportId = await insertReport(db, {
    lookup: `stats-${built}-${Date.now().toString(36)}`, channel_id: spec.channelId, organisation_id: spec.organisationId, organisation_key_id: Number(key.id),
    status: 'received', public_key: 'placeholder', key_for_organisation: 'placeholder', key_for_receipt: 'placeholder', receipt_hash: 'placeholder',
    content: 'placeholder', identity: null, notice_address: null, submission_key: null, created_day: spec.receivedDay, updated_day: spec.receivedDay,
  });
  const after = (n: number | null | undefined) => (n === null || n === undefined ? null : addDays(spec.receivedDay, n));
  await cases.insertCase(db, {
    report_id: reportId, organisation_id: spec.organisationId, office_id: spec.officeId ?? null, handler_id: null, channel_id: spec.channelId,
    status: spec.status ?? 'received', outcome: spec.outcome ?? null, labels: '[]', region: spec.region ?? null, received_day: spec.receivedDay,
    ack_due_day: addDays(spec.receivedDay, spec.ackDays ?? 7), feedback_due_day: addDays(spec.receivedDay, spec.feedbackDays ?? 90),
    acknowledged_day: after(spec.acknowledgedAfter), closed_day: after(spec.closedAfter), updated_day: spec.receivedDay,
  });
  return reportId;
}

/** The record a transfer leaves: the case itself is built as the receiver holds it (received again on the transfer day). */
export const buildTransfer = (db: Kysely<DB>, t: { reportId: number; from: number; to: number; day: string; actorId: number }) =>
  cases.insertTransfer(db, { report_id: t.reportId, from_organisation_id: t.from, to_organisation_id: t.to, actor_id: t.actorId, day: t.day });

export const buildProtectionItem = (db: Kysely<DB>, p: { reportId: number; kind: 'protection' | 'reprisal' | 'measure'; day: string }) =>
  cases.insertProtectionItem(db, { report_id: p.reportId, kind: p.kind, body: 'placeholder', status: 'open', follow_up_day: null, day: p.day });

/** An identity request in a given state (the states a custodian and the requester move it through). */
export async function buildCustodyRequest(db: Kysely<DB>, r: { reportId: number; requesterId: number; day: string; status: 'pending' | 'approved' | 'refused' | 'disclosed' }): Promise<number> {
  const id = await cases.insertCustodyRequest(db, { report_id: r.reportId, requester_id: r.requesterId, reason: 'placeholder', requested_day: r.day });
  if (r.status !== 'pending') await cases.updateCustodyRequest(db, id, 'pending', { status: r.status, decided_day: r.day });
  return id;
}
