// Retention on a real database: legal holds (who may place and lift them, audited, shown on the
// case page), the warning 30 days ahead (once, with two workers, through a real SMTP server), the
// dry run of `nazaha purge`, and the purge itself: a case with a canary in its report, identity,
// messages, note, protection request, identity request and attachment leaves no trace in the
// database files (SQLite file and WAL, or a pg_dump), DATA_DIR or the storage, while a case on hold
// stays, the statistics count the purged case as before, and the audit chain still verifies.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/db/index.js';
import { enqueue, Worker } from '../../src/jobs/queue.js';
import { createMailer } from '../../src/mail/mailer.js';
import { anchorFile, readAnchors, verifyAudit, writeAnchor } from '../../src/modules/audit/service.js';
import { addDays, localDay } from '../../src/modules/cases/clocks/calendar.js';
import { purgeCandidates, scheduleDeletions, WARNING_DAYS } from '../../src/modules/cases/retention.js';
import { registerRetentionJobs } from '../../src/modules/cases/retention-jobs.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import type { Role } from '../../src/modules/identity/roles.js';
import { addAttachment } from '../../src/modules/reports/attachments/service.js';
import { findReport, reporterProtection, reporterReply, signInWithReceipt, submitReport } from '../../src/modules/reports/service.js';
import { createStorage } from '../../src/storage/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildTransfer } from '../helpers/cases.js';
import { createReadyDatabase, usingPostgres } from '../helpers/db.js';
import { buildUser, identityContext } from '../helpers/identity.js';
import { startSmtpServer } from '../helpers/smtp.js';

const CANARY = `retention-canary-${Date.now()}-ⵜⴰⵣⴷⴷⵉⴳⵜ-رشوة`;
const log = pino({ level: 'silent' });
const today = localDay(new Date());
// Received six years ago: five years of retention after closing have passed.
const received = `${Number(today.slice(0, 4)) - 6}-03-01`;
const period = `from=${received.slice(0, 4)}-01-01&to=${received.slice(0, 4)}-12-31`;

let t: TestApp;
let recoveryKeys: Record<string, string>;
const org: Record<string, number> = {};
const people: Record<string, { userId: number; email: string; browser: Browser }> = {};
let purgedId: number;
let heldId: number;

async function person(name: string, roles: Role[]): Promise<void> {
  const u = await buildUser(identityContext(t.database), { roles, organisationId: org.inpplc!, email: `${name}@inpplc.example` });
  const opened = (await keys.openWithRecoveryKey(t.database.db, org.inpplc!, recoveryKeys.inpplc!))!;
  await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  const browser = new Browser(() => t.app);
  const res = await browser.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  expect(res.statusCode, `sign-in of ${name}`).toBe(303);
  people[name] = { userId: u.userId, email: u.email, browser };
}

const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({
  method, url, ...(payload ? { payload } : {}), headers: { cookie: [...people[who]!.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
});
const ok = async (who: string, url: string, payload: object) => {
  const res = await api(who, 'POST', url, payload);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
};

const storage = () => createStorage({ kind: 'disk', dir: path.join(t.test.dataDir, 'attachments') });

/** A report closed by the handler, with its days moved six years back as if it were old. */
async function closedCase(what: string, extra: { identity?: Record<string, string> } = {}): Promise<{ reportId: number; receipt: string }> {
  const r = await submitReport(t.database, {
    channel: 'inpplc-corruption', submissionKey: `retention-${what}-${Date.now()}`,
    content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what, region: 'MA-06' } }, ...extra,
  });
  if (!('receipt' in r)) throw new Error('duplicate');
  await ok('handler', `/api/v1/cases/${r.reportId}/status`, { status: 'acknowledged' });
  await ok('handler', `/api/v1/cases/${r.reportId}/status`, { status: 'closed', outcome: 'founded' });
  await t.database.db.updateTable('cases').set({
    received_day: received, ack_due_day: addDays(received, 7), feedback_due_day: addDays(received, 90), acknowledged_day: addDays(received, 2), closed_day: addDays(received, 40),
  }).where('report_id', '=', r.reportId).execute();
  return { reportId: r.reportId, receipt: r.receipt };
}

beforeAll(async () => {
  const ready = await createReadyDatabase();
  recoveryKeys = ready.recoveryKeys;
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' }, ready);
  for (const slug of ['inpplc', 'mediateur']) org[slug] = (await findOrganisationBySlug(t.database.db, slug))!.id;
  await person('handler', ['case-handler']);
  await person('admin', ['institution-admin']);

  // The case to purge: a canary in everything a case can hold.
  const c = await closedCase(`report ${CANARY}`, { identity: { name: `name ${CANARY}`, contact: '0600000000' } });
  purgedId = c.reportId;
  const signIn = await signInWithReceipt(t.database, { receipt: c.receipt, sourceKey: 'retention-test' });
  if (!signIn.ok) throw new Error('receipt refused');
  await reporterReply(t.database, signIn.cookie, `reply ${CANARY}`);
  await reporterProtection(t.database, signIn.cookie, { kind: 'protection', body: `protection ${CANARY}` });
  await ok('handler', `/api/v1/cases/${purgedId}/notes`, { body: `note ${CANARY}` });
  await ok('handler', `/api/v1/cases/${purgedId}/custody-requests`, { reason: `reason ${CANARY}` });
  const report = (await findReport(t.database.db, purgedId))!;
  await addAttachment({
    db: t.database.db, storage: storage(), reportId: purgedId, reportPublicKey: Buffer.from(report.public_key, 'base64'), author: 'staff',
    stream: Readable.from([Buffer.from(`file ${CANARY}\n`)]), declaredName: `file-${CANARY}.txt`, limits: { maxBytes: 1 << 20, reportMaxBytes: 4 << 20, pdfMaxBytes: 1 << 20 },
  });
  await buildTransfer(t.database.db, { reportId: purgedId, from: org.mediateur!, to: org.inpplc!, day: addDays(received, 1), actorId: people.handler!.userId });
  await t.database.db.updateTable('protection_items').set({ day: addDays(received, 5) }).where('report_id', '=', purgedId).execute();
  await t.database.db.updateTable('custody_requests').set({ requested_day: addDays(received, 6) }).where('report_id', '=', purgedId).execute();

  heldId = (await closedCase('a case under a court order')).reportId;
});
afterAll(() => t.close());

describe('legal holds', () => {
  it('handlers place one, only institution admins lift one; each step is audited and shown on the case page', async () => {
    await ok('handler', `/api/v1/cases/${heldId}/legal-hold`, { reason: 'Ordonnance du juge d’instruction' });
    expect((await api('handler', 'POST', `/api/v1/cases/${heldId}/legal-hold`, { reason: 'again' })).json().code).toBe('conflict');
    expect((await api('handler', 'POST', `/api/v1/cases/${heldId}/legal-hold/release`, { reason: 'done' })).statusCode).toBe(403);
    expect((await api('admin', 'POST', `/api/v1/cases/${heldId}/legal-hold/release`, { reason: '' })).statusCode).toBe(400);
    await ok('admin', `/api/v1/cases/${heldId}/legal-hold/release`, { reason: 'Procédure close' });
    expect((await api('admin', 'POST', `/api/v1/cases/${heldId}/legal-hold/release`, { reason: 'twice' })).json().code).toBe('conflict');

    // Again through the page's form, which needs a reason.
    const b = people.handler!.browser;
    const page = await b.get(`/fr/staff/cases/${heldId}`);
    expect(page.body).toContain('id="holdReason"');
    expect(page.body).not.toContain('id="releaseReason"');
    const empty = await b.submitFrom(page, `/fr/staff/cases/${heldId}/legal-hold`, { holdReason: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#holdReason"');
    const placed = await b.submitFrom(page, `/fr/staff/cases/${heldId}/legal-hold`, { holdReason: 'Enquête de la police judiciaire' });
    expect(placed.statusCode).toBe(303);
    const after = await b.get(placed.headers.location as string);
    expect(after.body).toContain('Enquête de la police judiciaire');
    expect(after.body).toContain('Procédure close');
    expect((await people.admin!.browser.get(`/fr/staff/cases/${heldId}`)).body).toContain('id="releaseReason"');

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor', 'details']).where('target', '=', `case:${heldId}`).where('action', 'like', 'case.legal-hold%').orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['case.legal-hold-placed', `user:${people.handler!.userId}`], ['case.legal-hold-released', `user:${people.admin!.userId}`], ['case.legal-hold-placed', `user:${people.handler!.userId}`],
    ]);
    // The reasons are sealed: neither the audit log nor the table holds them in clear.
    expect(JSON.stringify(audit)).not.toContain('Enquête');
    expect(JSON.stringify(await t.database.db.selectFrom('case_holds').selectAll().execute())).not.toContain('Enquête');
  });
});

describe('warnings', () => {
  it('tell the institution admins once, with two worker processes, by a content-free e-mail linking to the inbox', async () => {
    const smtp = await startSmtpServer();
    try {
      await sql`create table test_retention_ready (worker text not null)`.execute(t.database.db);
      const run = (name: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fixtures/retention-worker.ts', t.test.url, name, smtp.url, path.join(t.test.dataDir, 'attachments')], { timeout: 90_000 });
      const outputs = await Promise.all([run('w1'), run('w2')]);
      // Between them, the day's warn and purge jobs and the one e-mail ran once each.
      expect(outputs.map((o) => JSON.parse(o.stdout).ran).reduce((a: number, b: number) => a + b, 0)).toBe(3);
      expect(await scheduleDeletions(t.database), 'a case is warned about once').toEqual([]);
      const day = addDays(today, WARNING_DAYS);
      expect(smtp.received.map((m) => m.to)).toEqual([[people.admin!.email]]);
      const raw = smtp.received[0]!.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      expect(raw).toContain(`https://example.org/fr/staff/cases?deletion=${day}`);
      expect(raw).not.toContain(CANARY.slice(0, 30));
      const inbox = (await api('admin', 'GET', `/api/v1/cases?deletion=${day}`)).json();
      expect(inbox.items.map((i: { id: number; deletionDay: string; legalHold: boolean }) => [i.id, i.deletionDay, i.legalHold])).toEqual([[purgedId, day, false]]);
      expect((await people.admin!.browser.get(`/fr/staff/cases/${purgedId}`)).body).toContain(day);
    } finally {
      await smtp.close();
    }
  });

  it('nothing is due before the 30 days of notice, even past retention', async () => {
    expect(await purgeCandidates(t.database)).toEqual([]);
    expect((await purgeCandidates(t.database, { skipNotice: true })).map((c) => c.reportId)).toEqual([purgedId]);
  });
});

/** Ciphertext of everything the purged case stored, to show it is there before and gone after. */
async function storedTraces(): Promise<string[]> {
  const { db } = t.database;
  const report = (await db.selectFrom('reports').selectAll().where('id', '=', purgedId).executeTakeFirstOrThrow());
  const rows = [
    report.content, report.identity!, report.public_key, report.key_for_organisation, report.key_for_receipt, report.receipt_hash,
    ...(await db.selectFrom('reporter_sessions').select('key_box').where('report_id', '=', purgedId).execute()).map((r) => r.key_box),
    ...(await db.selectFrom('report_messages').select('body').where('report_id', '=', purgedId).execute()).map((r) => r.body),
    ...(await db.selectFrom('case_notes').select('body').where('report_id', '=', purgedId).execute()).map((r) => r.body),
    ...(await db.selectFrom('custody_requests').select('reason').where('report_id', '=', purgedId).execute()).map((r) => r.reason),
    ...(await db.selectFrom('protection_items').select('body').where('report_id', '=', purgedId).execute()).map((r) => r.body),
    ...(await db.selectFrom('report_attachments').select(['file_key', 'metadata', 'storage_key']).where('report_id', '=', purgedId).execute()).flatMap((r) => [r.file_key, r.metadata, r.storage_key]),
  ];
  expect(rows.length).toBeGreaterThanOrEqual(15);
  return rows.map((r) => r.slice(0, 48));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The bytes a person holding the database would have: the SQLite file and its WAL, or a dump. */
function databaseBytes(): Buffer {
  if (usingPostgres()) return execFileSync('pg_dump', ['--data-only', t.test.url], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const file = sqlitePath(t.test.url);
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

const statistics = async () => {
  const res = await api('admin', 'GET', `/api/v1/cases/statistics?${period}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the purge', () => {
  let traces: string[];
  let before: Record<string, unknown>;

  it('`nazaha purge --dry-run` lists the case due, not the one on hold, and changes nothing', async () => {
    // Thirty days later: the notice has run out.
    await t.database.db.updateTable('cases').set({ deletion_day: today }).where('report_id', '=', purgedId).execute();
    const env = { PATH: process.env.PATH!, DATA_DIR: t.test.dataDir, ...(usingPostgres() ? { DATABASE_URL: t.test.url } : {}) };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'purge', '--dry-run'], { env });
    expect(stdout).toContain(`case ${purgedId}\t`);
    expect(stdout).not.toContain(`case ${heldId}\t`);
    expect(stdout).toContain('1 case(s) would be deleted');
    expect(await findReport(t.database.db, purgedId)).toBeDefined();
  });

  it('deletes everything of the case past retention: no trace in the database, its files, DATA_DIR or the storage', async () => {
    traces = await storedTraces();
    before = await statistics();
    expect(before.received).toBe(2);
    const bytes = databaseBytes();
    for (const trace of traces) expect(bytes.includes(Buffer.from(trace)), `before the purge, ${trace} is stored`).toBe(true);
    const objects = path.join(t.test.dataDir, 'attachments', 'reports', String(purgedId));
    expect(filesUnder(objects)).toHaveLength(1);

    // The daily job, as the worker runs it (its own run today found nothing due yet).
    const worker = registerRetentionJobs(new Worker({ database: t.database, log }), { mailer: createMailer({ smtpUrl: undefined, from: 'x@example.org', dataDir: t.test.dataDir }), publicUrl: 'https://example.org', storage: storage(), log });
    await enqueue(t.database, 'retention.purge', null);
    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    const job = await t.database.db.selectFrom('jobs').select(['status', 'last_error']).where('kind', '=', 'retention.purge').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', last_error: null });

    expect(await findReport(t.database.db, purgedId)).toBeUndefined();
    const { db } = t.database;
    for (const table of ['cases', 'report_messages', 'reporter_sessions', 'report_keys', 'report_attachments', 'case_events', 'case_transfers', 'case_notes', 'custody_requests', 'protection_items', 'case_holds'] as const) {
      expect(await db.selectFrom(table).select('report_id').where('report_id', '=', purgedId).execute(), table).toEqual([]);
    }
    expect(fs.existsSync(objects)).toBe(false);

    const after = databaseBytes();
    const needles = [CANARY, Buffer.from(CANARY).toString('base64'), ...traces];
    for (const n of needles) expect(after.includes(Buffer.from(n)), `the database still holds ${n}`).toBe(false);
    for (const f of filesUnder(t.test.dataDir)) {
      const content = fs.readFileSync(f);
      for (const n of needles) expect(content.includes(Buffer.from(n)), `${path.relative(t.test.dataDir, f)} holds ${n}`).toBe(false);
    }
  });

  it('keeps the case on legal hold', async () => {
    expect(await findReport(t.database.db, heldId)).toBeDefined();
    expect((await api('admin', 'GET', `/api/v1/cases/${heldId}`)).json()).toMatchObject({ status: 'closed', legalHold: true, deletionDay: null });
  });

  it('keeps what statistics need: the figures are the same as before', async () => {
    expect(await statistics()).toEqual(before);
    expect(before).toMatchObject({ received: 2, transfers: { in: 1 }, protection: { requests: 1 } });
    const kept = await t.database.db.selectFrom('purged_cases').selectAll().execute();
    expect(kept).toHaveLength(1);
    expect(Object.keys(kept[0]!).sort()).toEqual(['ack_due_day', 'acknowledged_day', 'channel_id', 'closed_day', 'feedback_due_day', 'id', 'office_id', 'organisation_id', 'outcome', 'received_day', 'region', 'transfers']);
    expect(kept[0]).toMatchObject({ organisation_id: org.inpplc, region: 'MA-06', outcome: 'founded', received_day: received, closed_day: addDays(received, 40), transfers: 1 });
  });

  it('writes case.purged (ids only) and leaves an audit chain that verifies', async () => {
    const purged = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.purged').execute();
    expect(purged.map((e) => [e.actor, e.target, e.organisation, e.details])).toEqual([['system', `case:${purgedId}`, `org:${org.inpplc}`, '{}']]);
    await writeAnchor(t.database, t.test.dataDir);
    expect(await verifyAudit(t.database.db, readAnchors(anchorFile(t.test.dataDir)))).toMatchObject({ ok: true });
  });
});
