// Case handling: the staff side of a report. Opening a case decrypts it with the handler's keys
// (user key → organisation key → report key) and is written to the audit log; every change is a
// case event (metadata for the timeline and statistics) and an audit entry, in one transaction.
import { type Database, writeTransaction } from '../../db/index.js';
import type { KeyPair } from '../../crypto/box.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditDetails } from '../audit/service.js';
import { listOrganisations, membersWithRoles } from '../identity/directory.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { channelById } from '../reports/channels.js';
import { openOrganisationKeys } from '../identity/keys.js';
import { type IdentityContext, type ResolvedSession, sessionPrivateKey } from '../identity/service.js';
import type { BlobStorage } from '../../storage/index.js';
import { type Attachment, type AttachmentLimits, listAttachments, openAttachment } from '../reports/attachments/service.js';
import { queueReporterNotice } from '../reports/notices.js';
import * as reports from '../reports/service.js';
import { nextOtherDue, type OtherDeadline } from './clocks/deadlines.js';
import { addDays } from './clocks/calendar.js';
import { dueDaysFrom } from './intake.js';
import { runningDeadlines } from './reminders.js';
import { canHandleCases, canSeeCases, canTakeOver } from './policy.js';
import * as repo from './repository.js';

export const statuses = ['received', 'acknowledged', 'assessment', 'investigation', 'closed'] as const;
export type Status = (typeof statuses)[number];
export const outcomes = ['founded', 'partly-founded', 'unfounded', 'not-competent', 'no-follow-up-possible', 'withdrawn'] as const;
export type Outcome = (typeof outcomes)[number];

/** Where a case may go from each status. Closing needs an outcome. */
const transitions: Record<Status, Status[]> = {
  received: ['acknowledged', 'closed'],
  acknowledged: ['assessment', 'investigation', 'closed'],
  assessment: ['investigation', 'closed'],
  investigation: ['closed'],
  closed: [],
};
export const nextStatuses = (s: string): Status[] => transitions[s as Status] ?? [];

export interface CasesContext {
  database: Database;
  identity: IdentityContext;
  /** Encrypts reporters' notice addresses while they wait in the job queue. */
  noticeKey: Buffer;
  uploads: { storage: BlobStorage; limits: AttachmentLimits };
}

/** Tells a reporter who left an address that there is news (content-free e-mail). */
export const notifyReporter = (ctx: CasesContext, reportId: number, keys: KeyPair) => queueReporterNotice(ctx.database, { reportId, keys, noticeKey: ctx.noticeKey });

export const today = (): string => new Date().toISOString().slice(0, 10);
const actorOf = (s: ResolvedSession) => `user:${s.user.id}`;

export function requireHandler(s: ResolvedSession): number {
  if (!canHandleCases(s)) throw new AppError('forbidden');
  return s.user.organisation_id!;
}

/** The case, if the user's organisation holds it (as recipient or as assigned office); else 404. Also used by retention.ts. */
export async function caseFor(ctx: CasesContext, s: ResolvedSession, reportId: number): Promise<repo.CaseRow> {
  if (!canSeeCases(s)) throw new AppError('forbidden');
  const c = await repo.findCase(ctx.database.db, reportId);
  const org = s.user.organisation_id;
  if (!c || org === null || (c.organisation_id !== org && c.office_id !== org)) throw new AppError('not_found');
  return c;
}

/** The report key, opened with the keys the signed-in user holds for their organisation. Also used by retention.ts. */
export async function reportKeys(ctx: CasesContext, s: ResolvedSession, reportId: number): Promise<KeyPair> {
  const { db } = ctx.database;
  const privateKey = await sessionPrivateKey(ctx.identity, s);
  const userKeys = { publicKey: Buffer.from(s.user.public_key ?? '', 'base64'), privateKey };
  const orgKeys = await openOrganisationKeys(db, s.user.organisation_id!, { userId: s.user.id, keys: userKeys });
  const keys = await reports.openReportFor(db, reportId, s.user.organisation_id!, orgKeys);
  // A member who was never given the organisation key (or lost it when rotated out) cannot read.
  if (!keys) throw new AppError('keys_missing');
  return keys;
}

/** A case event and its audit entry, in the caller's transaction. Also used by retention.ts. */
export async function record(ctx: CasesContext, trx: Kysely<DB>, s: ResolvedSession, c: repo.CaseRow, event: { kind: string; details?: AuditDetails; action?: string }) {
  const day = today();
  await repo.insertEvent(trx, { report_id: c.report_id, organisation_id: s.user.organisation_id!, actor_id: s.user.id, kind: event.kind, details: event.details ?? {}, day });
  await appendAudit(trx, ctx.database.dialect, {
    actor: actorOf(s), organisation: `org:${s.user.organisation_id}`, action: event.action ?? `case.${event.kind}`, target: `case:${c.report_id}`, details: event.details ?? {},
  });
}

// Inbox

export interface InboxQuery {
  status?: string | undefined;
  channelId?: number | undefined;
  region?: string | undefined;
  handler?: number | 'none' | 'me' | undefined;
  overdue?: boolean | undefined;
  label?: string | undefined;
  /** Retention: "scheduled", or a deletion day (docs/cases.md#retention). */
  deletion?: string | undefined;
  sort?: 'received' | 'received-desc' | 'due' | undefined;
  page?: number | undefined;
}

export interface InboxItem {
  id: number;
  status: string;
  outcome: string | null;
  channelId: number;
  region: string | null;
  handlerId: number | null;
  officeId: number | null;
  labels: string[];
  receivedDay: string;
  ackDueDay: string;
  feedbackDueDay: string;
  acknowledgedDay: string | null;
  closedDay: string | null;
  overdue: boolean;
  /** Further deadlines of the channel (e.g. the administration's answer), each met or not. */
  otherDeadlines: OtherDeadline[];
  legalHold: boolean;
  deletionDay: string | null;
}

export const PAGE_SIZE = 25;

export const isOverdue = (c: repo.CaseRow, day = today()): boolean =>
  c.status !== 'closed' && ((c.acknowledged_day === null && c.ack_due_day < day) || c.feedback_due_day < day || (c.other_due_day !== null && c.other_due_day < day));

const item = (c: repo.CaseRow): InboxItem => ({
  id: c.report_id, status: c.status, outcome: c.outcome, channelId: c.channel_id, region: c.region, handlerId: c.handler_id, officeId: c.office_id,
  labels: JSON.parse(c.labels) as string[], receivedDay: c.received_day, ackDueDay: c.ack_due_day, feedbackDueDay: c.feedback_due_day,
  acknowledgedDay: c.acknowledged_day, closedDay: c.closed_day, overdue: isOverdue(c),
  otherDeadlines: JSON.parse(c.other_deadlines) as OtherDeadline[],
  legalHold: c.legal_hold === 1, deletionDay: c.legal_hold === 1 ? null : c.deletion_day,
});

/** Metadata only: listing decrypts nothing. */
export async function inbox(ctx: CasesContext, s: ResolvedSession, q: InboxQuery): Promise<{ items: InboxItem[]; total: number; page: number; pages: number }> {
  if (!canSeeCases(s)) throw new AppError('forbidden');
  const page = Math.max(1, q.page ?? 1);
  const { rows, total } = await repo.listCases(ctx.database.db, {
    organisationIds: [s.user.organisation_id!], status: q.status, channelId: q.channelId, region: q.region,
    handlerId: q.handler === 'me' ? s.user.id : q.handler, overdueOn: q.overdue ? today() : undefined, label: q.label, deletion: q.deletion,
    sort: q.sort ?? 'received-desc', offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE,
  });
  return { items: rows.map(item), total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

// One case

export interface CaseView extends InboxItem {
  organisationId: number;
  content: reports.ReportContent;
  hasIdentity: boolean;
  messages: reports.ShownMessage[];
  notes: { authorId: number | null; body: string; day: string }[];
  events: { kind: string; actorId: number | null; organisationId: number; details: Record<string, unknown>; day: string }[];
  custody: { id: number; requesterId: number; reason: string; status: string; decision: string | null; legalException: boolean; requestedDay: string; decidedDay: string | null }[];
  protection: { id: number; kind: string; body: string; status: string; followUpDay: string | null; day: string }[];
  attachments: Attachment[];
}

/** Opens a case: decrypts it for the signed-in handler and writes the read to the audit log. */
export async function openCase(ctx: CasesContext, s: ResolvedSession, reportId: number): Promise<CaseView> {
  const c = await caseFor(ctx, s, reportId);
  const keys = await reportKeys(ctx, s, reportId);
  const { db } = ctx.database;
  const view = await reports.staffReportView(db, reportId, keys);
  await writeTransaction(ctx.database, (trx) => appendAudit(trx, ctx.database.dialect, { actor: actorOf(s), organisation: `org:${s.user.organisation_id}`, action: 'case.read', target: `case:${reportId}` }));
  return {
    ...item(c), organisationId: c.organisation_id, content: view.content, hasIdentity: view.hasIdentity, messages: view.messages,
    notes: (await repo.listNotes(db, reportId)).map((n) => ({ authorId: n.author_id, body: reports.openForReport<string>(n.body, keys), day: n.day })),
    events: (await repo.listEvents(db, reportId)).map((e) => ({ kind: e.kind, actorId: e.actor_id, organisationId: e.organisation_id, details: e.details, day: e.day })),
    custody: (await repo.listCustodyRequests(db, { reportId })).map((r) => ({
      id: r.id, requesterId: r.requester_id, reason: reports.openForReport<string>(r.reason, keys), status: r.status,
      decision: r.decision ? reports.openForReport<string>(r.decision, keys) : null, legalException: r.legal_exception === 1, requestedDay: r.requested_day, decidedDay: r.decided_day,
    })),
    protection: (await repo.listProtectionItems(db, reportId)).map((p) => ({ id: p.id, kind: p.kind, body: reports.openForReport<string>(p.body, keys), status: p.status, followUpDay: p.follow_up_day, day: p.day })),
    attachments: await listAttachments({ db, reportId, reportKeys: keys }),
  };
}

/**
 * An attachment of the case, decrypted as it streams out: the cleaned copy, or with `original` the
 * untouched original the channel kept (not_found when there is none). Each download is audited, an
 * original's under its own action, since it may carry what can identify the reporter.
 */
export async function downloadAttachment(ctx: CasesContext, s: ResolvedSession, reportId: number, attachmentId: number, options: { original?: boolean } = {}) {
  await caseFor(ctx, s, reportId);
  const keys = await reportKeys(ctx, s, reportId);
  const file = await openAttachment({ db: ctx.database.db, storage: ctx.uploads.storage, reportId, attachmentId, reportKeys: keys, original: options.original === true });
  await writeTransaction(ctx.database, (trx) => appendAudit(trx, ctx.database.dialect, {
    actor: actorOf(s), organisation: `org:${s.user.organisation_id}`, action: options.original ? 'case.attachment-original-read' : 'case.attachment-read',
    target: `case:${reportId}`, details: { attachment: attachmentId },
  }));
  return file;
}

/** Where a handler's files for this case go: its report (adding needs only the public key). */
export async function uploadTarget(ctx: CasesContext, s: ResolvedSession, reportId: number) {
  requireHandler(s);
  await caseFor(ctx, s, reportId);
  const report = await reports.findReport(ctx.database.db, reportId);
  return { database: ctx.database, ...ctx.uploads, reportId, reportPublicKey: Buffer.from(report!.public_key, 'base64'), author: 'staff' as const };
}

/** Records files a handler added (after they are stored). */
export async function recordAttachments(ctx: CasesContext, s: ResolvedSession, reportId: number, ids: number[]): Promise<void> {
  const c = await caseFor(ctx, s, reportId);
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateCase(trx, reportId, { updated_day: today() });
    await record(ctx, trx, s, c, { kind: 'attachment-added', details: { attachments: ids.join(',') } });
  });
}

export async function changeStatus(ctx: CasesContext, s: ResolvedSession, reportId: number, input: { status: Status; outcome?: Outcome | undefined }): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  if (!nextStatuses(c.status).includes(input.status)) throw new AppError('invalid_transition');
  if (input.status === 'closed' && !input.outcome) throw new AppError('validation_failed', { fields: [{ field: 'outcome', messageKey: 'validation.choice' }] });
  const day = today();
  const channel = input.status === 'acknowledged' ? await channelById(ctx.database.db, c.channel_id) : undefined;
  const tellsReporter = input.status === 'acknowledged' || input.status === 'closed';
  const keys = tellsReporter ? await reportKeys(ctx, s, reportId) : undefined;
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateCase(trx, reportId, {
      status: input.status, updated_day: day,
      ...(input.status === 'acknowledged' ? { acknowledged_day: day } : {}),
      ...(input.status === 'closed' ? { closed_day: day, outcome: input.outcome! } : {}),
    });
    await record(ctx, trx, s, c, { kind: 'status', details: { from: c.status, to: input.status, outcome: input.outcome ?? null } });
    // The reporter hears of it: an acknowledgement (with the channel's own text, if any), or the closing outcome.
    if (input.status === 'acknowledged') await reports.addNotice(trx, reportId, { key: 'notice.acknowledged', values: { day: c.feedback_due_day }, ...(channel?.ackMessage ? { text: channel.ackMessage } : {}) });
    if (input.status === 'closed') await reports.addNotice(trx, reportId, { key: 'notice.closed', values: { outcome: input.outcome! } });
  });
  if (keys) await notifyReporter(ctx, reportId, keys);
}

const LABEL = /^[a-z0-9][a-z0-9-]{0,39}$/;

export async function setLabels(ctx: CasesContext, s: ResolvedSession, reportId: number, labels: string[]): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  const clean = [...new Set(labels.map((l) => l.trim().toLowerCase()).filter(Boolean))];
  if (clean.length > 20 || clean.some((l) => !LABEL.test(l))) throw new AppError('validation_failed', { fields: [{ field: 'labels', messageKey: 'validation.invalid' }] });
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateCase(trx, reportId, { labels: JSON.stringify(clean), updated_day: today() });
    await record(ctx, trx, s, c, { kind: 'labels', details: { labels: clean.join(',') } });
  });
}

/** People and offices a case of this organisation can be assigned to. */
export async function assignees(ctx: CasesContext, s: ResolvedSession) {
  const org = requireHandler(s);
  const { db } = ctx.database;
  const offices = (await listChildOffices(ctx, org));
  const people = await membersWithRoles(db, [org, ...offices.map((o) => o.id)], ['case-handler', 'institution-admin']);
  return { people, offices };
}

async function listChildOffices(ctx: CasesContext, org: number) {
  return (await listOrganisations(ctx.database.db)).filter((o) => o.parent_id === org && o.kind === 'office');
}

export async function assign(ctx: CasesContext, s: ResolvedSession, reportId: number, input: { handlerId?: number | null | undefined; officeId?: number | null | undefined }): Promise<void> {
  const org = requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  if (c.status === 'closed') throw new AppError('invalid_transition');
  const { offices, people } = await assignees(ctx, s);
  const officeId = input.officeId === undefined ? c.office_id : input.officeId;
  if (officeId !== null && !offices.some((o) => o.id === officeId)) throw new AppError('validation_failed', { fields: [{ field: 'office', messageKey: 'validation.choice' }] });
  const handlerId = input.handlerId === undefined ? c.handler_id : input.handlerId;
  if (handlerId !== null) {
    const person = people.find((p) => p.id === handlerId);
    if (!person || person.status !== 'active' || (person.organisation_id !== org && person.organisation_id !== officeId)) throw new AppError('validation_failed', { fields: [{ field: 'handler', messageKey: 'validation.choice' }] });
  }
  // An office that takes the case gets its own copy of the report key, opened with ours.
  const keys = officeId !== null && officeId !== c.office_id ? await reportKeys(ctx, s, reportId) : undefined;
  await writeTransaction(ctx.database, async (trx) => {
    if (keys && officeId !== null) await reports.grantReportKey(trx, reportId, keys, officeId);
    if (c.office_id !== null && c.office_id !== officeId) await reports.revokeReportKey(trx, reportId, c.office_id);
    await repo.updateCase(trx, reportId, { handler_id: handlerId, office_id: officeId, updated_day: today() });
    await record(ctx, trx, s, c, { kind: 'assignment', details: { handler: handlerId, office: officeId } });
  });
}

/** An institution admin hands every open case of an (inactive) colleague to another handler. */
export async function takeOver(ctx: CasesContext, s: ResolvedSession, input: { fromUserId: number; toUserId: number }): Promise<number> {
  if (!canTakeOver(s)) throw new AppError('forbidden');
  const org = s.user.organisation_id!;
  const { people } = await assignees(ctx, s);
  const from = people.find((p) => p.id === input.fromUserId);
  const to = people.find((p) => p.id === input.toUserId);
  if (!from) throw new AppError('validation_failed', { fields: [{ field: 'from', messageKey: 'validation.choice' }] });
  if (!to || to.status !== 'active' || to.id === from.id) throw new AppError('validation_failed', { fields: [{ field: 'to', messageKey: 'validation.choice' }] });
  return writeTransaction(ctx.database, async (trx) => {
    const ids = await repo.reassignHandler(trx, org, from.id, to.id, today());
    for (const id of ids) await repo.insertEvent(trx, { report_id: id, organisation_id: org, actor_id: s.user.id, kind: 'assignment', details: { handler: to.id, takeover_from: from.id }, day: today() });
    await appendAudit(trx, ctx.database.dialect, { actor: actorOf(s), organisation: `org:${org}`, action: 'case.take-over', target: `user:${from.id}`, details: { to: to.id, cases: ids.length } });
    return ids.length;
  });
}

export async function messageReporter(ctx: CasesContext, s: ResolvedSession, reportId: number, body: string): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  const keys = await reportKeys(ctx, s, reportId);
  await writeTransaction(ctx.database, async (trx) => {
    await reports.addMessage(trx, reportId, 'staff', body);
    await repo.updateCase(trx, reportId, { updated_day: today() });
    await record(ctx, trx, s, c, { kind: 'message' });
  });
  await notifyReporter(ctx, reportId, keys);
}

export async function addNote(ctx: CasesContext, s: ResolvedSession, reportId: number, body: string): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  const report = await reports.findReport(ctx.database.db, reportId);
  await writeTransaction(ctx.database, async (trx) => {
    await repo.insertNote(trx, { report_id: reportId, author_id: s.user.id, body: reports.sealForReport(body, report!), day: today() });
    await record(ctx, trx, s, c, { kind: 'note' });
  });
}

/** Institutions a case can be transferred to: those that hold keys on this portal, except our own. */
export async function transferTargets(ctx: CasesContext, s: ResolvedSession) {
  const org = requireHandler(s);
  return (await listOrganisations(ctx.database.db)).filter((o) => o.kind === 'institution' && o.id !== org);
}

/**
 * Transfers a case to another institution: the report key is sealed to the receiving institution
 * and every other copy (ours, our offices') is dropped, so the sender can no longer read it. Both
 * keep the transfer on record; the reporter is told, and the receipt keeps working.
 */
export async function transfer(ctx: CasesContext, s: ResolvedSession, reportId: number, input: { organisationId: number }): Promise<void> {
  const org = requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  if (c.organisation_id !== org) throw new AppError('forbidden');
  if (c.status === 'closed') throw new AppError('invalid_transition');
  const target = (await transferTargets(ctx, s)).find((o) => o.id === input.organisationId);
  if (!target) throw new AppError('validation_failed', { fields: [{ field: 'organisation', messageKey: 'validation.choice' }] });
  const keys = await reportKeys(ctx, s, reportId);
  const day = today();
  // The receiving institution's clocks start on the day of the transfer, with the channel's rules.
  const channel = await channelById(ctx.database.db, c.channel_id);
  const due = await dueDaysFrom(ctx.database.db, day, channel!.deadlines);
  await writeTransaction(ctx.database, async (trx) => {
    await reports.resealToOrganisation(trx, reportId, keys, target.id);
    await repo.updateCase(trx, reportId, {
      organisation_id: target.id, office_id: null, handler_id: null, status: 'received', acknowledged_day: null,
      received_day: day, ack_due_day: due.ackDueDay, feedback_due_day: due.feedbackDueDay, other_deadlines: JSON.stringify(due.others), other_due_day: nextOtherDue(due.others), updated_day: day,
    });
    await repo.insertTransfer(trx, { report_id: reportId, from_organisation_id: org, to_organisation_id: target.id, actor_id: s.user.id, day });
    await record(ctx, trx, s, c, { kind: 'transfer', details: { from: org, to: target.id } });
    await appendAudit(trx, ctx.database.dialect, { actor: actorOf(s), organisation: `org:${target.id}`, action: 'case.transfer-received', target: `case:${reportId}`, details: { from: org } });
    await reports.addNotice(trx, reportId, {
      key: 'notice.transferred', values: {},
      institution: { ar: target.name_ar, fr: target.name_fr, en: target.name_en, zgh: target.name_zgh ?? target.name_fr },
    });
  });
  await notifyReporter(ctx, reportId, keys);
}

/** A further deadline of the case was met (e.g. the administration answered). */
export async function markDeadlineMet(ctx: CasesContext, s: ResolvedSession, reportId: number, deadlineId: string): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  const others = JSON.parse(c.other_deadlines) as OtherDeadline[];
  if (!others.some((o) => o.id === deadlineId && o.metDay === null)) throw new AppError('invalid_transition');
  const day = today();
  const updated = others.map((o) => (o.id === deadlineId ? { ...o, metDay: day } : o));
  await writeTransaction(ctx.database, async (trx) => {
    await repo.updateCase(trx, reportId, { other_deadlines: JSON.stringify(updated), other_due_day: nextOtherDue(updated), updated_day: day });
    await record(ctx, trx, s, c, { kind: 'deadline-met', details: { deadline: deadlineId } });
  });
}

export interface OverdueRow { id: number; holderId: number; deadline: string; dueDay: string; daysLate: number; handlerId: number | null }

/** Every overdue deadline of the cases the user's institution (and its offices) or office holds. */
export async function overdueDashboard(ctx: CasesContext, s: ResolvedSession): Promise<{ rows: OverdueRow[]; holders: number[] }> {
  if (!canSeeCases(s)) throw new AppError('forbidden');
  const org = s.user.organisation_id!;
  const offices = s.organisation?.kind === 'institution' ? (await listChildOffices(ctx, org)).map((o) => o.id) : [];
  const day = today();
  const rows: OverdueRow[] = [];
  for (const c of await repo.casesDueBy(ctx.database.db, addDays(day, -1), [org, ...offices])) {
    for (const d of runningDeadlines(c)) {
      if (d.dueDay < day) rows.push({ id: c.report_id, holderId: c.office_id ?? c.organisation_id, deadline: d.deadline, dueDay: d.dueDay, daysLate: daysBetween(d.dueDay, day), handlerId: c.handler_id });
    }
  }
  rows.sort((a, b) => b.daysLate - a.daysLate || a.id - b.id);
  return { rows, holders: [org, ...offices] };
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

// Protection of reporters

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const protectionStatuses = ['open', 'in-place', 'closed'] as const;

/** A measure taken to protect the reporter (e.g. under law 37-10), with the day to review it. */
export async function recordMeasure(ctx: CasesContext, s: ResolvedSession, reportId: number, input: { body: string; followUpDay: string | null }): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  if (input.followUpDay !== null && (!DAY.test(input.followUpDay) || input.followUpDay < today())) throw new AppError('validation_failed', { fields: [{ field: 'followUpDay', messageKey: 'validation.invalid' }] });
  const report = await reports.findReport(ctx.database.db, reportId);
  const keys = await reportKeys(ctx, s, reportId);
  await writeTransaction(ctx.database, async (trx) => {
    const id = await repo.insertProtectionItem(trx, { report_id: reportId, kind: 'measure', body: reports.sealForReport(input.body, report!), status: 'in-place', follow_up_day: input.followUpDay, day: today() });
    await record(ctx, trx, s, c, { kind: 'protection-measure', details: { item: id } });
  });
  await notifyReporter(ctx, reportId, keys);
}

/** Moves a protection request, reprisal or measure on, and sets its own follow-up day. */
export async function updateProtection(ctx: CasesContext, s: ResolvedSession, reportId: number, itemId: number, input: { status: (typeof protectionStatuses)[number]; followUpDay: string | null }): Promise<void> {
  requireHandler(s);
  const c = await caseFor(ctx, s, reportId);
  if (input.followUpDay !== null && !DAY.test(input.followUpDay)) throw new AppError('validation_failed', { fields: [{ field: 'followUpDay', messageKey: 'validation.invalid' }] });
  await writeTransaction(ctx.database, async (trx) => {
    if (!(await repo.updateProtectionItem(trx, itemId, reportId, { status: input.status, follow_up_day: input.followUpDay }))) throw new AppError('not_found');
    await record(ctx, trx, s, c, { kind: 'protection-updated', details: { item: itemId, status: input.status } });
  });
}
