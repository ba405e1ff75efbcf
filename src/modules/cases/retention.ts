// Retention: a closed case is kept for its channel's retention period (channels.retention_days,
// counted from the day it was closed), then deleted with everything sealed to its report, unless a
// legal hold suspends that. Thirty days before, its institution's administrators are warned, and a
// case is never deleted less than thirty days after that warning. What statistics need stays, in
// purged_cases; the audit trail stays whole. docs/cases.md#retention says it for people.
import type { Database } from '../../db/index.js';
import { writeTransaction } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { enqueue } from '../../jobs/queue.js';
import type { BlobStorage } from '../../storage/index.js';
import { appendAudit } from '../audit/service.js';
import type { ResolvedSession } from '../identity/service.js';
import * as reports from '../reports/service.js';
import { addDays, localDay } from './clocks/calendar.js';
import { canPlaceLegalHold, canReleaseLegalHold } from './policy.js';
import * as repo from './retention-repository.js';
import { type CasesContext, caseFor, record, reportKeys } from './service.js';

/** How long before deletion an institution is warned, and the least notice it gets. */
export const WARNING_DAYS = 30;

/** The first day a closed case may be deleted: its closing day plus its channel's retention. */
export const retentionEnd = (c: { closed_day: string | null; retention_days: number }): string | null =>
  c.closed_day === null ? null : addDays(c.closed_day, c.retention_days);

const todayHere = (): string => localDay(new Date());

// Legal holds

export interface HoldRecord { action: 'placed' | 'released'; reason: string; actorId: number | null; day: string }
export interface RetentionView {
  legalHold: boolean;
  /** Closed cases: the day retention ends. */
  retentionEnd: string | null;
  /** Set once the institution was warned: the day the case will be deleted. */
  deletionDay: string | null;
  holds: HoldRecord[];
}

/** What the case page shows of retention, with the reasons of holds unsealed for the reader. */
export async function retentionView(ctx: CasesContext, s: ResolvedSession, reportId: number): Promise<RetentionView> {
  await caseFor(ctx, s, reportId);
  const { db } = ctx.database;
  const c = await repo.findCase(db, reportId);
  if (!c) throw new AppError('not_found');
  const rows = await repo.listHolds(db, reportId);
  const keys = rows.length ? await reportKeys(ctx, s, reportId) : undefined;
  return {
    legalHold: c.legal_hold === 1, retentionEnd: retentionEnd(c), deletionDay: c.legal_hold === 1 ? null : c.deletion_day,
    holds: rows.map((h) => ({ action: h.action, reason: reports.openForReport<string>(h.reason, keys!), actorId: h.actor_id, day: h.day })),
  };
}

async function changeHold(ctx: CasesContext, s: ResolvedSession, reportId: number, input: { hold: boolean; reason: string }): Promise<void> {
  if (!(input.hold ? canPlaceLegalHold(s) : canReleaseLegalHold(s))) throw new AppError('forbidden');
  const c = await caseFor(ctx, s, reportId);
  const report = await reports.findReport(ctx.database.db, reportId);
  if (!report) throw new AppError('not_found');
  await writeTransaction(ctx.database, async (trx) => {
    // Placing a hold twice, or lifting one that is not there, is a conflict (another admin was quicker).
    if (!(await repo.setHold(trx, reportId, input.hold))) throw new AppError('conflict');
    const action = input.hold ? 'placed' : 'released';
    await repo.insertHold(trx, { report_id: reportId, action, reason: reports.sealForReport(input.reason, report), actor_id: s.user.id, day: todayHere() });
    await record(ctx, trx, s, c, { kind: `legal-hold-${action}` });
  });
}

/** Suspends the deletion of a case, with a reason (sealed to the report key); audited. */
export const placeLegalHold = (ctx: CasesContext, s: ResolvedSession, reportId: number, reason: string) => changeHold(ctx, s, reportId, { hold: true, reason });
/** Lifts a hold; the case is then warned about anew and deleted thirty days later at the earliest. */
export const releaseLegalHold = (ctx: CasesContext, s: ResolvedSession, reportId: number, reason: string) => changeHold(ctx, s, reportId, { hold: false, reason });

// Warnings

export interface Warning { organisationId: number; day: string; count: number }

/**
 * Sets the deletion day of every closed case, not on hold and not yet warned about, whose retention
 * ends within WARNING_DAYS; the day is today + WARNING_DAYS, so a case whose retention ended
 * unwarned (a hold lifted, a backlog) still gets its full notice. In the same transaction, one
 * content-free e-mail per institution is queued. A case is claimed once whatever the number of
 * processes scanning, and its e-mail job exists only if the claim commits.
 */
export async function scheduleDeletions(database: Database, options: { today?: string } = {}): Promise<Warning[]> {
  const today = options.today ?? todayHere();
  const horizon = addDays(today, WARNING_DAYS);
  const shortest = await repo.shortestRetention(database.db);
  if (shortest === null) return [];
  const due = (await repo.closedCases(database.db, { closedOnOrBefore: addDays(horizon, -shortest), unscheduled: true }))
    .filter((c) => (retentionEnd(c) ?? horizon) <= horizon);
  if (due.length === 0) return [];
  return writeTransaction(database, async (trx) => {
    const byOrganisation = new Map<number, number[]>();
    for (const c of due) {
      if (await repo.scheduleDeletion(trx, c.report_id, horizon)) byOrganisation.set(c.organisation_id, [...(byOrganisation.get(c.organisation_id) ?? []), c.report_id]);
    }
    const warnings: Warning[] = [];
    for (const [organisationId, ids] of byOrganisation) {
      // Keyed by the first case of the batch: a second batch the same day (a hold lifted since) gets its own e-mail.
      await enqueue({ db: trx }, 'retention.warning-mail', { organisationId, day: horizon, count: ids.length }, { uniqueKey: `retention-warning:${organisationId}:${horizon}:${Math.min(...ids)}` });
      warnings.push({ organisationId, day: horizon, count: ids.length });
    }
    return warnings;
  });
}

// Purge

export interface RetentionContext { database: Database; storage: BlobStorage }

export interface PurgeOptions {
  /** The day counted as today (tests, dry runs for a coming day). */
  today?: string;
  /** Deletes every case past retention without waiting for the notice: after restoring a backup (docs/operations.md). */
  skipNotice?: boolean;
  /** Who runs it, for the audit log: "system" (the daily job) or "cli". */
  actor?: string;
}

export interface PurgeCandidate { reportId: number; organisationId: number; channelId: number; closedDay: string; retentionEnd: string; deletionDay: string | null }

function isDue(c: repo.ClosedCase, today: string, skipNotice: boolean): boolean {
  const end = retentionEnd(c);
  if (c.status !== 'closed' || c.legal_hold !== 0 || end === null || end > today) return false;
  return skipNotice || (c.deletion_day !== null && c.deletion_day <= today);
}

/** The cases a purge would delete today: closed, not on hold, past retention and past their notice. */
export async function purgeCandidates(database: Database, options: PurgeOptions = {}): Promise<PurgeCandidate[]> {
  const today = options.today ?? todayHere();
  let rows: repo.ClosedCase[];
  if (options.skipNotice) {
    const shortest = await repo.shortestRetention(database.db);
    rows = shortest === null ? [] : await repo.closedCases(database.db, { closedOnOrBefore: addDays(today, -shortest) });
  } else {
    rows = await repo.scheduledBy(database.db, today);
  }
  return rows.filter((c) => isDue(c, today, options.skipNotice ?? false)).map((c) => ({
    reportId: c.report_id, organisationId: c.organisation_id, channelId: c.channel_id, closedDay: c.closed_day!, retentionEnd: retentionEnd(c)!, deletionDay: c.deletion_day,
  }));
}

/**
 * Deletes one case if it is still due, in one transaction: the statistics record first, then the
 * report and everything sealed to it (reports.deleteReport), then the audit entry (ids only). The
 * case is locked and checked again inside the transaction, so a hold placed meanwhile wins, and two
 * purges running at once delete it once.
 */
export async function purgeCase(ctx: RetentionContext, reportId: number, options: PurgeOptions = {}): Promise<boolean> {
  const today = options.today ?? todayHere();
  const { dialect } = ctx.database;
  return writeTransaction(ctx.database, async (trx) => {
    const c = await repo.lockCase(trx, dialect, reportId);
    if (!c || !isDue(c, today, options.skipNotice ?? false)) return false;
    const items = await repo.countedItems(trx, reportId);
    await repo.insertPurgedCase(trx, {
      organisation_id: c.organisation_id, office_id: c.office_id, channel_id: c.channel_id, region: c.region, outcome: c.outcome,
      received_day: c.received_day, ack_due_day: c.ack_due_day, feedback_due_day: c.feedback_due_day, acknowledged_day: c.acknowledged_day, closed_day: c.closed_day,
      transfers: items.filter((i) => i.kind === 'transfer').length,
    }, items);
    await reports.deleteReport(trx, { storage: ctx.storage, reportId });
    await appendAudit(trx, dialect, { actor: options.actor ?? 'system', organisation: `org:${c.organisation_id}`, action: 'case.purged', target: `case:${reportId}` });
    return true;
  });
}

/** Deletes every case due today; `onProgress` hears after each one. Reclaiming the space is apart (reclaimSpace). */
export async function purgeExpired(ctx: RetentionContext, options: PurgeOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<{ purged: number[] }> {
  const candidates = await purgeCandidates(ctx.database, options);
  const purged: number[] = [];
  for (const [i, c] of candidates.entries()) {
    if (await purgeCase(ctx, c.reportId, options)) purged.push(c.reportId);
    options.onProgress?.(i + 1, candidates.length);
  }
  return { purged };
}

/** After a purge: freed pages leave the SQLite file and its WAL; PostgreSQL vacuums the tables. */
export const reclaimSpace = (database: Database) => repo.reclaimSpace(database.db, database.dialect);
