// What the reports module needs from case handling: a case opened in the same transaction as the
// report, and the status and dates the reporter may see. Kept apart from service.ts, which itself
// builds on the reports module, so the two modules do not import each other in a circle.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from './repository.js';

export const FEEDBACK_DAYS = 90;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface CaseIntake { reportId: number; organisationId: number; channelId: number; region: string | null; day: string; ackDays: number }

/** Opens the case of a report just received; due dates start from that day. */
export async function openCase(trx: Kysely<DB>, c: CaseIntake): Promise<void> {
  await repo.insertCase(trx, {
    report_id: c.reportId, organisation_id: c.organisationId, office_id: null, handler_id: null, channel_id: c.channelId,
    status: 'received', outcome: null, labels: '[]', region: c.region, received_day: c.day,
    ack_due_day: addDays(c.day, c.ackDays), feedback_due_day: addDays(c.day, FEEDBACK_DAYS),
    acknowledged_day: null, closed_day: null, updated_day: c.day,
  });
}

export interface ReporterCaseView { status: string; outcome: string | null; organisationId: number; ackDueDay: string; feedbackDueDay: string }

export async function reporterCaseView(db: Kysely<DB>, reportId: number): Promise<ReporterCaseView | undefined> {
  const c = await repo.findCase(db, reportId);
  return c && { status: c.status, outcome: c.outcome, organisationId: c.organisation_id, ackDueDay: c.ack_due_day, feedbackDueDay: c.feedback_due_day };
}

export type ProtectionKind = 'protection' | 'reprisal';

/** The reporter asks for protection or reports a reprisal; the body arrives sealed to the report key. */
export async function recordProtectionRequest(trx: Kysely<DB>, input: { reportId: number; kind: ProtectionKind; sealedBody: string; day: string }): Promise<void> {
  const c = await repo.findCase(trx, input.reportId);
  if (!c) throw new Error(`report ${input.reportId} has no case`);
  const id = await repo.insertProtectionItem(trx, { report_id: input.reportId, kind: input.kind, body: input.sealedBody, status: 'open', follow_up_day: null, day: input.day });
  await repo.insertEvent(trx, { report_id: input.reportId, organisation_id: c.organisation_id, actor_id: null, kind: input.kind === 'protection' ? 'protection-requested' : 'reprisal-reported', details: { item: id }, day: input.day });
  await repo.updateCase(trx, input.reportId, { updated_day: input.day });
}

/** Protection requests, reprisals and measures of a case, still sealed. */
export const protectionItemsOf = (db: Kysely<DB>, reportId: number) => repo.listProtectionItems(db, reportId);

export { addDays };
