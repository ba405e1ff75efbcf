// Secure reports. Each report has its own X25519 key pair: answers, identity, notice address and
// messages are sealed to its public key; its private key is sealed to the recipient organisation's
// current key and, separately, encrypted under a key derived from the receipt. Nothing readable is
// written to the database. Dates are kept to the day.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { decrypt, encrypt, generateKeyPair, type KeyPair, openSealed, randomBytes, seal } from '../../crypto/box.js';
import { argon2ParamsOf, hashReceiptSecret, keyFromReceipt, RECEIPT_PARAMS, verifyPassword } from '../../crypto/kdf.js';
import { type Database, writeTransaction } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import * as throttle from '../../web/rate-limit-repository.js';
import { enqueue } from '../../jobs/queue.js';
import { readDeadlines } from '../cases/clocks/deadlines.js';
import { openCase, type ProtectionKind, protectionItemsOf, recordProtectionRequest, reporterCaseView } from '../cases/intake.js';
import { currentPublicKey } from '../identity/keys.js';
import type { BlobStorage } from '../../storage/index.js';
import { type Attachment, deleteReportAttachments, listAttachments } from './attachments/service.js';
import { newReceipt, parseReceipt } from './receipts.js';
import * as repo from './repository.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');
const sha256 = (s: Uint8Array | string) => crypto.createHash('sha256').update(s).digest('hex');
export const today = (): string => new Date().toISOString().slice(0, 10);
const SALT = 16;

export interface ReportContent {
  channel: string;
  questionnaireVersion: number;
  answers: Record<string, string>;
  orientation?: string | undefined;
}

export interface NewReport {
  channel: string;
  content: ReportContent;
  identity?: Record<string, string> | undefined;
  noticeAddress?: string | undefined;
  /** The language of the form, for the notices sent to that address. */
  noticeLocale?: string | undefined;
  /** Set per form submission: a replayed submission finds the report it already made. */
  submissionKey: string;
}

const sealJson = (value: unknown, publicKey: Uint8Array) => b64(seal(Buffer.from(JSON.stringify(value)), publicKey));

/** Stores a report sealed end to end and returns its receipt, to be shown once. */
export async function submitReport(database: Database, input: NewReport): Promise<{ receipt: string; reportId: number; reporterCookie: string } | { duplicate: true }> {
  if (await repo.findReportBy(database.db, { submissionKey: sha256(input.submissionKey) })) return { duplicate: true };
  const channel = await repo.findChannel(database.db, input.channel);
  if (!channel || !channel.active) throw new AppError('not_found');
  const orgKey = await currentPublicKey(database.db, channel.organisation_id);
  const pair = generateKeyPair();
  const receipt = newReceipt();
  const salt = randomBytes(SALT);
  const [receiptHash, receiptKey] = await Promise.all([hashReceiptSecret(receipt.secret), keyFromReceipt(receipt.text, salt, RECEIPT_PARAMS)]);
  const day = today();
  try {
    const reportId = await writeTransaction(database, async (trx) => {
      const id = await repo.insertReport(trx, {
      lookup: receipt.lookup, channel_id: channel.id, organisation_id: channel.organisation_id, organisation_key_id: orgKey.keyId, status: 'received',
      public_key: b64(pair.publicKey),
      key_for_organisation: b64(seal(pair.privateKey, orgKey.publicKey)),
      key_for_receipt: b64(Buffer.concat([salt, encrypt(pair.privateKey, receiptKey, 'report-key')])),
      receipt_hash: receiptHash,
      content: sealJson(input.content, pair.publicKey),
      identity: input.identity && channel.asks_identity ? sealJson(input.identity, pair.publicKey) : null,
      notice_address: input.noticeAddress ? sealJson({ address: input.noticeAddress, locale: input.noticeLocale ?? 'fr' }, pair.publicKey) : null,
      submission_key: sha256(input.submissionKey),
      created_day: day, updated_day: day,
      });
      // The region is routing metadata, kept in clear on the case so inboxes can be filtered.
      const region = /^MA-\d{2}$/.test(input.content.answers.region ?? '') ? input.content.answers.region! : null;
      await openCase(trx, { reportId: id, organisationId: channel.organisation_id, channelId: channel.id, region, day, deadlines: readDeadlines(channel.deadlines, channel.ack_days) });
      return id;
    });
    // Staff hear of it by a content-free e-mail, sent by the job queue.
    await enqueue(database, 'reports.notify-staff', { reportId }, { uniqueKey: `report-notify:${reportId}` });
    // The reporter stays signed in to their report, e.g. to add files right away.
    return { receipt: receipt.text, reportId, reporterCookie: await startReporterSession(database.db, reportId, pair.privateKey) };
  } catch (err) {
    // The same submission arriving twice at once: the second finds the first.
    if (await repo.findReportBy(database.db, { submissionKey: sha256(input.submissionKey) })) return { duplicate: true };
    throw err;
  }
}

/** With a solved proof of work, a connection may send this many times more reports per hour. */
export const PROOF_OF_WORK_FACTOR = 3;
const SUBMISSION_WINDOW_MS = 3_600_000;

/**
 * Counts a submission from a source (an HMAC of its address) if it is within the hourly limit;
 * `proof` is the hash of a solved proof-of-work challenge, which raises the limit and counts once.
 */
export async function allowSubmission(db: Kysely<DB>, input: { sourceKey: string; proof: string | null; perHour: number }): Promise<boolean> {
  let proof = input.proof;
  if (proof && (await throttle.hit(db, `pow:${proof}`, SUBMISSION_WINDOW_MS * 2)).hits > 1) proof = null;
  const key = `submit:s:${input.sourceKey}`;
  if ((await throttle.peek(db, key)) >= input.perHour * (proof ? PROOF_OF_WORK_FACTOR : 1)) return false;
  await throttle.hit(db, key, SUBMISSION_WINDOW_MS);
  return true;
}

export const FOLLOW_UP_SOURCE_LIMIT = 10;
export const FOLLOW_UP_GLOBAL_LIMIT = 600;
export const FOLLOW_UP_WINDOW_MS = 10 * 60_000;
const SESSION_MS = 30 * 60_000;
let dummyHash: Promise<string> | undefined;

export type FollowUpResult = { ok: true; cookie: string } | { ok: false; reason: 'invalid' | 'throttled' };

/**
 * Signs a reporter in with their receipt alone. Right and wrong receipts take the same path and the
 * same time (an Argon2id verification either way); failures are limited per source and globally.
 */
export async function signInWithReceipt(database: Database, input: { receipt: string; sourceKey: string }): Promise<FollowUpResult> {
  const { db } = database;
  const sourceKey = `follow-up:s:${input.sourceKey}`;
  const globalKey = 'follow-up:global';
  if ((await throttle.peek(db, sourceKey)) >= FOLLOW_UP_SOURCE_LIMIT || (await throttle.peek(db, globalKey)) >= FOLLOW_UP_GLOBAL_LIMIT) return { ok: false, reason: 'throttled' };
  const parsed = parseReceipt(input.receipt);
  const report = parsed ? await repo.findReportBy(db, { lookup: parsed.lookup }) : undefined;
  dummyHash ??= hashReceiptSecret('nazaha receipt timing equaliser');
  const valid = await verifyPassword(report?.receipt_hash ?? (await dummyHash), parsed?.secret ?? '');
  if (!report || !parsed || !valid) {
    await throttle.hit(db, sourceKey, FOLLOW_UP_WINDOW_MS);
    await throttle.hit(db, globalKey, FOLLOW_UP_WINDOW_MS);
    return { ok: false, reason: 'invalid' };
  }
  const raw = unb64(report.key_for_receipt);
  // The verifier names the parameters the receipt key was derived with (it verified, so it parses).
  const privateKey = decrypt(raw.subarray(SALT), await keyFromReceipt(parsed.text, raw.subarray(0, SALT), argon2ParamsOf(report.receipt_hash)!), 'report-key');
  return { ok: true, cookie: await startReporterSession(db, report.id, privateKey) };
}

/** A reporter session: the report key, encrypted under a key that only the returned cookie holds. */
async function startReporterSession(db: Kysely<DB>, reportId: number, privateKey: Uint8Array): Promise<string> {
  const id = randomBytes(32);
  const cookieKey = randomBytes(32);
  await repo.insertReporterSession(db, {
    id_hash: sha256(id), report_id: reportId, key_box: b64(encrypt(privateKey, cookieKey, `reporter:${sha256(id)}`)),
    expires_at: new Date(Date.now() + SESSION_MS).toISOString(),
  });
  return `${id.toString('base64url')}.${cookieKey.toString('base64url')}`;
}

export type ShownMessage = { author: 'reporter' | 'staff'; body: string; day: string } | { author: 'notice'; notice: Notice; day: string };
/** A portal notice to the reporter, stored as a translation key and values: shown in the reader's language. */
export interface Notice {
  key: string;
  values: Record<string, string>;
  /** An institution's name in each language, given to the message as `institution`. */
  institution?: Record<string, string>;
  /** A text chosen by the institution (e.g. its acknowledgement), per language. */
  text?: Record<string, string>;
}

export interface ReporterView {
  reportId: number;
  lookup: string;
  status: string;
  outcome: string | null;
  organisationId: number;
  ackDueDay: string;
  channelId: number;
  createdDay: string;
  updatedDay: string;
  channel: string;
  content: ReportContent;
  anonymous: boolean;
  messages: ShownMessage[];
  attachments: Attachment[];
  /** The reporter's protection requests and reprisal reports, and the measures staff recorded. */
  protection: { kind: string; body: string; status: string; followUpDay: string | null; day: string }[];
}

async function reporterKeys(database: Database, cookie: string | undefined): Promise<{ report: repo.ReportRow; keys: KeyPair; idHash: string } | null> {
  const m = cookie?.match(/^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/);
  if (!m) return null;
  const idHash = sha256(Buffer.from(m[1]!, 'base64url'));
  const session = await repo.findReporterSession(database.db, idHash, new Date().toISOString());
  if (!session) return null;
  const report = await repo.findReportBy(database.db, { id: session.report_id });
  if (!report) return null;
  const privateKey = decrypt(unb64(session.key_box), Buffer.from(m[2]!, 'base64url'), `reporter:${idHash}`);
  return { report, keys: { publicKey: unb64(report.public_key), privateKey }, idHash };
}

const openJson = <T>(box: string, keys: KeyPair): T => JSON.parse(openSealed(unb64(box), keys).toString('utf8')) as T;

/** What the signed-in reporter sees: their report as submitted, its status and the messages. */
export async function reporterView(database: Database, cookie: string | undefined): Promise<ReporterView | null> {
  const s = await reporterKeys(database, cookie);
  if (!s) return null;
  const messages = await repo.listMessages(database.db, s.report.id);
  const handling = await reporterCaseView(database.db, s.report.id);
  return {
    reportId: s.report.id, lookup: s.report.lookup, status: handling?.status ?? 'received', outcome: handling?.outcome ?? null,
    organisationId: s.report.organisation_id, ackDueDay: handling?.ackDueDay ?? s.report.created_day, channelId: s.report.channel_id,
    createdDay: s.report.created_day, updatedDay: s.report.updated_day,
    channel: openJson<ReportContent>(s.report.content, s.keys).channel, content: openJson<ReportContent>(s.report.content, s.keys),
    anonymous: s.report.identity === null,
    messages: openMessages(messages, s.keys),
    attachments: await listAttachments({ db: database.db, reportId: s.report.id, reportKeys: s.keys }),
    protection: (await protectionItemsOf(database.db, s.report.id)).map((p) => ({ kind: p.kind, body: openJson<string>(p.body, s.keys), status: p.status, followUpDay: p.follow_up_day, day: p.day })),
  };
}

/** The signed-in reporter's report, for adding files (its public key suffices). */
export async function reporterReport(database: Database, cookie: string | undefined): Promise<{ reportId: number; publicKey: Uint8Array } | null> {
  const s = await reporterKeys(database, cookie);
  return s && { reportId: s.report.id, publicKey: s.keys.publicKey };
}

/** From the follow-up page: a request for protection, or a reprisal suffered since reporting. */
export async function reporterProtection(database: Database, cookie: string | undefined, input: { kind: ProtectionKind; body: string }): Promise<boolean> {
  const s = await reporterKeys(database, cookie);
  if (!s) return false;
  const day = today();
  await writeTransaction(database, async (trx) => {
    await recordProtectionRequest(trx, { reportId: s.report.id, kind: input.kind, sealedBody: sealJson(input.body, s.keys.publicKey), day });
    await repo.touchReport(trx, s.report.id, day);
  });
  return true;
}

export function openMessages(rows: { author: 'reporter' | 'staff' | 'notice'; body: string; created_day: string }[], keys: KeyPair): ShownMessage[] {
  return rows.map((m) => (m.author === 'notice'
    ? { author: 'notice', notice: openJson<Notice>(m.body, keys), day: m.created_day }
    : { author: m.author, body: openJson<string>(m.body, keys), day: m.created_day }));
}

/** A message to the case: sealing needs only the report's public key. */
export async function addMessage(db: Kysely<DB>, reportId: number, author: 'reporter' | 'staff', body: string): Promise<void> {
  const report = await repo.findReportBy(db, { id: reportId });
  if (!report) throw new AppError('not_found');
  await repo.insertMessage(db, { report_id: reportId, author, body: sealJson(body, unb64(report.public_key)), created_day: today() });
}

/** A portal notice to the reporter (acknowledgement, transfer, disclosure of identity). */
export async function addNotice(db: Kysely<DB>, reportId: number, notice: Notice): Promise<void> {
  const report = await repo.findReportBy(db, { id: reportId });
  if (!report) throw new AppError('not_found');
  await repo.insertMessage(db, { report_id: reportId, author: 'notice', body: sealJson(notice, unb64(report.public_key)), created_day: today() });
}

export async function reporterReply(database: Database, cookie: string | undefined, body: string): Promise<boolean> {
  const s = await reporterKeys(database, cookie);
  if (!s) return false;
  await addMessage(database.db, s.report.id, 'reporter', body);
  return true;
}

export async function signOutReporter(database: Database, cookie: string | undefined): Promise<void> {
  const m = cookie?.match(/^([A-Za-z0-9_-]{43})\./);
  if (m) await repo.deleteReporterSession(database.db, sha256(Buffer.from(m[1]!, 'base64url')));
}

/** For the organisation's staff (case handling builds on this): open a report with an organisation key. */
export function openReportKey(report: repo.ReportRow, organisationKey: KeyPair): KeyPair {
  return { publicKey: unb64(report.public_key), privateKey: openSealed(unb64(report.key_for_organisation), organisationKey) };
}

export const findReport = (db: Kysely<DB>, reportId: number) => repo.findReportBy(db, { id: reportId });

/**
 * Opens a report's key for a member of `organisationId`, given the organisation key versions they
 * hold: as the recipient organisation, or as a further holder (an office the case is assigned to).
 * Null when this organisation holds no copy it can open.
 */
export async function openReportFor(db: Kysely<DB>, reportId: number, organisationId: number, orgKeys: { keyId: number; pair: KeyPair }[]): Promise<KeyPair | null> {
  const report = await repo.findReportBy(db, { id: reportId });
  if (!report) return null;
  const copy = report.organisation_id === organisationId
    ? { keyId: report.organisation_key_id, sealed: report.key_for_organisation }
    : await repo.findReportKey(db, reportId, organisationId);
  const orgKey = copy && orgKeys.find((k) => k.keyId === copy.keyId);
  if (!copy || !orgKey) return null;
  return { publicKey: unb64(report.public_key), privateKey: openSealed(unb64(copy.sealed), orgKey.pair) };
}

export interface StaffReportView {
  content: ReportContent;
  hasIdentity: boolean;
  messages: ShownMessage[];
}

export async function staffReportView(db: Kysely<DB>, reportId: number, keys: KeyPair): Promise<StaffReportView> {
  const report = await repo.findReportBy(db, { id: reportId });
  if (!report) throw new AppError('not_found');
  return { content: openJson<ReportContent>(report.content, keys), hasIdentity: report.identity !== null, messages: openMessages(await repo.listMessages(db, reportId), keys) };
}

/** The reporter's confidential identity: only the custody procedure calls this. */
export async function unsealIdentity(db: Kysely<DB>, reportId: number, keys: KeyPair): Promise<Record<string, string> | null> {
  const report = await repo.findReportBy(db, { id: reportId });
  return report?.identity ? openJson<Record<string, string>>(report.identity, keys) : null;
}

export const sealForReport = (value: unknown, report: { public_key: string }): string => sealJson(value, unb64(report.public_key));
export const openForReport = <T>(box: string, keys: KeyPair): T => openJson<T>(box, keys);

/** Transfer: the report key is sealed to the receiving organisation; every other copy is removed. */
export async function resealToOrganisation(trx: Kysely<DB>, reportId: number, keys: KeyPair, organisationId: number): Promise<void> {
  const target = await currentPublicKey(trx, organisationId);
  await repo.replaceRecipient(trx, reportId, { organisation_id: organisationId, organisation_key_id: target.keyId, key_for_organisation: b64(seal(keys.privateKey, target.publicKey)) });
}

/** The office no longer handles the case: its copy of the report key goes. */
export const revokeReportKey = (trx: Kysely<DB>, reportId: number, organisationId: number) => repo.deleteReportKey(trx, reportId, organisationId);

/** Assignment to an office: the office gets its own copy of the report key. */
export async function grantReportKey(trx: Kysely<DB>, reportId: number, keys: KeyPair, organisationId: number): Promise<void> {
  const target = await currentPublicKey(trx, organisationId);
  await repo.upsertReportKey(trx, { report_id: reportId, organisation_id: organisationId, organisation_key_id: target.keyId, sealed_key: b64(seal(keys.privateKey, target.publicKey)) });
}

/**
 * Deletes a report and everything sealed to it, in the caller's transaction (the end of retention,
 * cases/retention.ts): attachments (rows with their file keys, then the stored objects, orphans
 * included), messages, reporter sessions, key copies and the report row, whose deletion cascades
 * to the case-handling tables. Form drafts hold no report id and are gone two hours after sending.
 * The objects go before the transaction commits: should it then fail, the rows remain with no files
 * behind them, and the next purge finishes the work; the reverse order could leave readable files
 * with no row to find them by.
 */
export async function deleteReport(trx: Kysely<DB>, o: { storage: BlobStorage; reportId: number }): Promise<void> {
  await deleteReportAttachments({ db: trx, storage: o.storage, reportId: o.reportId });
  await repo.deleteReport(trx, o.reportId);
}
