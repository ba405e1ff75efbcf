// Identity custody: a handler asks for the reporter's confidential identity with a reason, a
// custodian of the institution (never the requester) approves or refuses, and only then can the
// requester unseal it. Every step is audited; the reporter is told unless a legal exception applies.
import { writeTransaction } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { ResolvedSession } from '../identity/service.js';
import * as reports from '../reports/service.js';
import { canDecideCustody } from './policy.js';
import * as repo from './repository.js';
import { type CasesContext, caseFor, notifyReporter, record, reportKeys, requireHandler, today } from './service.js';

export async function requestIdentity(ctx: CasesContext, s: ResolvedSession, reportId: number, reason: string): Promise<number> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  const report = await reports.findReport(ctx.database.db, reportId);
  if (!report?.identity) throw new AppError('no_identity');
  const open = await repo.listCustodyRequests(ctx.database.db, { reportId, status: 'pending' });
  if (open.length) throw new AppError('conflict');
  return writeTransaction(ctx.database, async (trx) => {
    const id = await repo.insertCustodyRequest(trx, { report_id: reportId, requester_id: s.user.id, reason: reports.sealForReport(reason, report), requested_day: today() });
    await record(ctx, trx, s, c, { kind: 'custody-requested', details: { request: id } });
    return id;
  });
}

async function custodyRequestFor(ctx: CasesContext, s: ResolvedSession, requestId: number) {
  const r = await repo.findCustodyRequest(ctx.database.db, requestId);
  if (!r) throw new AppError('not_found');
  const c = await caseFor(ctx, s, r.report_id);
  return { r, c };
}

export async function decideIdentity(ctx: CasesContext, s: ResolvedSession, requestId: number, input: { approve: boolean; note: string; legalException: boolean }): Promise<void> {
  if (!canDecideCustody(s)) throw new AppError('forbidden');
  const { r, c } = await custodyRequestFor(ctx, s, requestId);
  // Four eyes: whoever asked cannot also approve.
  if (r.requester_id === s.user.id) throw new AppError('forbidden');
  const report = await reports.findReport(ctx.database.db, r.report_id);
  await writeTransaction(ctx.database, async (trx) => {
    const ok = await repo.updateCustodyRequest(trx, requestId, 'pending', {
      status: input.approve ? 'approved' : 'refused', custodian_id: s.user.id, decision: reports.sealForReport(input.note, report!),
      legal_exception: input.approve && input.legalException ? 1 : 0, decided_day: today(),
    });
    if (!ok) throw new AppError('conflict');
    await record(ctx, trx, s, c, { kind: input.approve ? 'custody-approved' : 'custody-refused', details: { request: requestId, legal_exception: input.approve && input.legalException } });
  });
}

/** After approval, the requester (only) unseals the identity; the reporter is told unless a legal exception was recorded. */
export async function discloseIdentity(ctx: CasesContext, s: ResolvedSession, requestId: number): Promise<Record<string, string>> {
  requireHandler(s);
  const { r, c } = await custodyRequestFor(ctx, s, requestId);
  if (r.requester_id !== s.user.id) throw new AppError('forbidden');
  if (r.status !== 'approved' && r.status !== 'disclosed') throw new AppError('custody_not_approved');
  const keys = await reportKeys(ctx, s, r.report_id);
  const identity = await reports.unsealIdentity(ctx.database.db, r.report_id, keys);
  if (!identity) throw new AppError('no_identity');
  await writeTransaction(ctx.database, async (trx) => {
    const first = await repo.updateCustodyRequest(trx, requestId, 'approved', { status: 'disclosed' });
    await record(ctx, trx, s, c, { kind: 'identity-disclosed', details: { request: requestId } });
    if (first && r.legal_exception !== 1) {
      const reason = reports.openForReport<string>(r.reason, keys);
      await reports.addNotice(trx, r.report_id, { key: 'notice.identity_disclosed', values: { reason } });
    }
  });
  if (r.status === 'approved' && r.legal_exception !== 1) await notifyReporter(ctx, r.report_id, keys);
  return identity;
}

/** Pending custody requests on the custodian's organisation's cases. */
export async function pendingCustody(ctx: CasesContext, s: ResolvedSession) {
  if (!canDecideCustody(s)) throw new AppError('forbidden');
  const ids = await repo.caseIdsOf(ctx.database.db, [s.user.organisation_id!]);
  return (await repo.listCustodyRequests(ctx.database.db, { reportIds: ids, status: 'pending' })).map((r) => ({ id: r.id, reportId: r.report_id, requesterId: r.requester_id, requestedDay: r.requested_day }));
}

export async function custodyCaseId(ctx: CasesContext, requestId: number): Promise<number> {
  const r = await repo.findCustodyRequest(ctx.database.db, requestId);
  if (!r) throw new AppError('not_found');
  return r.report_id;
}
