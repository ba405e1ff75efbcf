// What the reports module needs from case handling: a case opened in the same transaction as the
// report, and the status and dates the reporter may see. Kept apart from service.ts, which itself
// builds on the reports module, so the two modules do not import each other in a circle.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type CaseDueDays, caseDueDays, type ChannelDeadlines, nextOtherDue } from './clocks/deadlines.js';
import { loadCalendar } from './clocks/service.js';
import * as repo from './repository.js';

export interface CaseIntake { reportId: number; organisationId: number; channelId: number; region: string | null; day: string; deadlines: ChannelDeadlines }

/** Due days of a case received on `day`, with the holidays of the years its clocks may span. */
export async function dueDaysFrom(db: Kysely<DB>, day: string, deadlines: ChannelDeadlines): Promise<CaseDueDays> {
  const year = Number(day.slice(0, 4));
  return caseDueDays(day, deadlines, await loadCalendar(db, year, Math.min(year + 2, 2099)));
}

/** Opens the case of a report just received; its clocks start from that day. */
export async function openCase(trx: Kysely<DB>, c: CaseIntake): Promise<void> {
  const due = await dueDaysFrom(trx, c.day, c.deadlines);
  await repo.insertCase(trx, {
    report_id: c.reportId, organisation_id: c.organisationId, office_id: null, handler_id: null, channel_id: c.channelId,
    status: 'received', outcome: null, labels: '[]', region: c.region, received_day: c.day,
    ack_due_day: due.ackDueDay, feedback_due_day: due.feedbackDueDay, other_deadlines: JSON.stringify(due.others), other_due_day: nextOtherDue(due.others),
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

