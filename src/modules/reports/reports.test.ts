import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { createReadyDatabase, type TestDatabase, usingPostgres } from '../../../test/helpers/db.js';
import { decrypt, encrypt, openSealed } from '../../crypto/box.js';
import { argon2ParamsOf, hashPassword, keyFromReceipt, RECEIPT_PARAMS } from '../../crypto/kdf.js';
import * as keys from '../identity/keys.js';
import { findOrganisationBySlug } from '../identity/directory.js';
import { listChannels } from './channels.js';
import { parseReceipt } from './receipts.js';
import * as repo from './repository.js';
import * as reports from './service.js';

let test: TestDatabase;
let database: Database;
let recoveryKeys: Record<string, string>;
beforeAll(async () => {
  ({ test, database, recoveryKeys } = await createReadyDatabase());
});
afterAll(() => test.cleanup());

const CANARY = `canary-${Date.now()}-ⵜⴰⵣⴷⴷⵉⴳⵜ-رشوة`;
const content = (what: string) => ({ channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what, region: 'MA-06' } });
let submissionCounter = 0;
const submit = (what: string, extra: Partial<reports.NewReport> = {}) =>
  reports.submitReport(database, { channel: 'inpplc-corruption', content: content(what), submissionKey: `s-${++submissionCounter}-${Date.now()}`, ...extra });

describe('channels', () => {
  it('exist on a fresh install for the INPPLC and the Médiateur, the public-official one never asking identity', async () => {
    const channels = await listChannels(database.db);
    expect(channels.map((c) => c.slug)).toEqual(['inpplc-corruption', 'inpplc-public-official', 'mediateur-complaint']);
    expect(channels.find((c) => c.slug === 'inpplc-public-official')!.asksIdentity).toBe(false);
    expect(channels[0]!.questionnaire.steps.map((s) => s.id)).toEqual(['facts', 'place']);
  });
});

describe('reports', () => {
  it('gives a receipt of five blocks (100 bits) and keeps only its hash', async () => {
    const r = await submit('a first report');
    if (!('receipt' in r)) throw new Error('duplicate');
    expect(r.receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const row = (await repo.findReportBy(database.db, { id: r.reportId }))!;
    expect(row.lookup).toBe(r.receipt.slice(0, 9));
    // Receipts' own parameters: 4 MiB, 64 passes (ADR 0005).
    expect(row.receipt_hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=64,p=1\$/);
    expect(JSON.stringify(row)).not.toContain(r.receipt.slice(10));
    expect(row.created_day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a replayed submission makes no second report', async () => {
    const key = `replay-${Date.now()}`;
    const first = await submit('once', { submissionKey: key });
    const second = await submit('once', { submissionKey: key });
    expect('receipt' in first).toBe(true);
    expect(second).toEqual({ duplicate: true });
  });

  it('the reporter signs in with the receipt alone, sees the report and a handler\'s message, and answers', async () => {
    const r = await submit('what I saw at the office');
    if (!('receipt' in r)) throw new Error('duplicate');
    await reports.addMessage(database.db, r.reportId, 'staff', 'Merci, pouvez-vous préciser la date ?');
    const signIn = await reports.signInWithReceipt(database, { receipt: r.receipt.toLowerCase().replace(/-/g, ' '), sourceKey: 'a' });
    if (!signIn.ok) throw new Error('sign-in failed');
    const view = (await reports.reporterView(database, signIn.cookie))!;
    expect(view.content.answers.what).toBe('what I saw at the office');
    expect(view.anonymous).toBe(true);
    expect(view.messages).toEqual([{ author: 'staff', body: 'Merci, pouvez-vous préciser la date ?', day: reports.today() }]);
    expect(await reports.reporterReply(database, signIn.cookie, 'Le 3 mars.')).toBe(true);
    expect((await reports.reporterView(database, signIn.cookie))!.messages.at(-1)).toMatchObject({ author: 'reporter', body: 'Le 3 mars.' });
    await reports.signOutReporter(database, signIn.cookie);
    expect(await reports.reporterView(database, signIn.cookie)).toBeNull();
  });

  it('wrong receipts get the same answer, and the source is throttled after 10 failures', async () => {
    const r = await submit('throttle');
    if (!('receipt' in r)) throw new Error('duplicate');
    const wrongSecret = `${r.receipt.slice(0, 10)}0000-0000-0000`;
    expect(await reports.signInWithReceipt(database, { receipt: wrongSecret, sourceKey: 'b' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await reports.signInWithReceipt(database, { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE', sourceKey: 'b' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await reports.signInWithReceipt(database, { receipt: 'not a receipt', sourceKey: 'b' })).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 0; i < 7; i++) await reports.signInWithReceipt(database, { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE', sourceKey: 'b' });
    expect(await reports.signInWithReceipt(database, { receipt: r.receipt, sourceKey: 'b' })).toEqual({ ok: false, reason: 'throttled' });
    expect((await reports.signInWithReceipt(database, { receipt: r.receipt, sourceKey: 'c' })).ok).toBe(true);
    expect(parseReceipt('7kq2 m9xd 4htp zz3q 88ab')?.text).toBe('7KQ2-M9XD-4HTP-ZZ3Q-88AB');
  });

  it('a report whose receipt was hashed with the earlier parameters (64 MiB, 3 passes) still opens with its receipt', async () => {
    const r = await submit('sent before the receipt parameters changed');
    if (!('receipt' in r)) throw new Error('duplicate');
    const row = (await repo.findReportBy(database.db, { id: r.reportId }))!;
    // Rewrite the report as it was stored before: verifier and receipt key with 64 MiB and 3 passes.
    const raw = Buffer.from(row.key_for_receipt, 'base64');
    const salt = raw.subarray(0, 16);
    const privateKey = decrypt(raw.subarray(16), await keyFromReceipt(r.receipt, salt, RECEIPT_PARAMS), 'report-key');
    const earlier = { memoryCost: 65536, timeCost: 3, parallelism: 1 };
    const secret = parseReceipt(r.receipt)!.secret;
    const legacyHash = await hashPassword(secret);
    expect(argon2ParamsOf(legacyHash)).toEqual(earlier);
    const legacyBox = Buffer.concat([salt, encrypt(privateKey, await keyFromReceipt(r.receipt, salt, earlier), 'report-key')]).toString('base64');
    await database.db.updateTable('reports').set({ receipt_hash: legacyHash, key_for_receipt: legacyBox }).where('id', '=', r.reportId).execute();

    const signIn = await reports.signInWithReceipt(database, { receipt: r.receipt, sourceKey: 'legacy' });
    if (!signIn.ok) throw new Error('sign-in failed');
    expect((await reports.reporterView(database, signIn.cookie))!.content.answers.what).toBe('sent before the receipt parameters changed');
    const wrong = `${r.receipt.slice(0, 10)}0000-0000-0000`;
    expect(await reports.signInWithReceipt(database, { receipt: wrong, sourceKey: 'legacy' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('the organisation opens a report sent before any staff existed, and no other organisation can', async () => {
    const r = await submit('for the institution');
    if (!('receipt' in r)) throw new Error('duplicate');
    const row = (await repo.findReportBy(database.db, { id: r.reportId }))!;
    const inpplc = (await findOrganisationBySlug(database.db, 'inpplc'))!;
    const mediateur = (await findOrganisationBySlug(database.db, 'mediateur'))!;
    const own = (await keys.openWithRecoveryKey(database.db, inpplc.id, recoveryKeys.inpplc!))!;
    const reportKeys = reports.openReportKey(row, own[0]!.pair);
    expect(JSON.parse(openSealed(Buffer.from(row.content, 'base64'), reportKeys).toString())).toMatchObject({ answers: { what: 'for the institution' } });
    const foreign = (await keys.openWithRecoveryKey(database.db, mediateur.id, recoveryKeys.mediateur!))!;
    expect(() => reports.openReportKey(row, foreign[0]!.pair)).toThrow();
  });
});

describe('no plaintext at rest', () => {
  it('a canary in a report, an identity, a notice address and messages appears nowhere in the database or DATA_DIR', async () => {
    const r = await submit(`report ${CANARY}`, { identity: { name: `name ${CANARY}` }, noticeAddress: `${CANARY}@example.org` });
    if (!('receipt' in r)) throw new Error('duplicate');
    await reports.addMessage(database.db, r.reportId, 'staff', `staff ${CANARY}`);
    const signIn = await reports.signInWithReceipt(database, { receipt: r.receipt, sourceKey: 'canary' });
    if (!signIn.ok) throw new Error('sign-in failed');
    await reports.reporterReply(database, signIn.cookie, `reply ${CANARY}`);
    const needles = [CANARY, Buffer.from(CANARY).toString('base64')];
    const files: string[] = [];
    const walk = (dir: string) => { for (const f of fs.readdirSync(dir)) { const p = path.join(dir, f); if (fs.statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(test.dataDir);
    if (usingPostgres()) {
      const dump = execFileSync('pg_dump', ['--data-only', test.url], { maxBuffer: 256 * 1024 * 1024 });
      for (const n of needles) expect(dump.includes(Buffer.from(n)), `pg_dump contains ${n}`).toBe(false);
    } else {
      expect(files.some((f) => f.endsWith('nazaha.sqlite'))).toBe(true);
    }
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${path.basename(f)} contains the canary`).toBe(false);
    }
  });
});

describe('staff notices', () => {
  it('members of the recipient organisation get an e-mail with a link and no content, once', async () => {
    const { startSmtpServer } = await import('../../../test/helpers/smtp.js');
    const { buildUser, identityContext } = await import('../../../test/helpers/identity.js');
    const { createMailer } = await import('../../mail/mailer.js');
    const { Worker } = await import('../../jobs/queue.js');
    const { registerReportJobs } = await import('./jobs.js');
    const pino = (await import('pino')).default;
    const smtp = await startSmtpServer();
    try {
      const inpplc = (await findOrganisationBySlug(database.db, 'inpplc'))!;
      await buildUser(identityContext(database), { roles: ['case-handler'], organisationId: inpplc.id, email: 'handler@inpplc.example' });
      await buildUser(identityContext(database), { roles: ['case-handler'], organisationId: (await findOrganisationBySlug(database.db, 'mediateur'))!.id, email: 'other@mediateur.example' });
      const secret = `notice-${Date.now()}`;
      await submit(`contains ${secret}`);
      const mailer = createMailer({ smtpUrl: smtp.url, from: 'Nazaha <portal@example.ma>', dataDir: test.dataDir });
      const worker = registerReportJobs(new Worker({ database, log: pino({ level: 'silent' }) }), { mailer, publicUrl: 'https://example.org' });
      await worker.drain();
      await worker.drain();
      mailer.close();
      const toHandler = smtp.received.filter((m) => m.to.includes('handler@inpplc.example'));
      expect(toHandler.length).toBeGreaterThanOrEqual(1);
      expect(smtp.received.some((m) => m.to.includes('other@mediateur.example'))).toBe(false);
      const raw = toHandler.at(-1)!.raw;
      expect(raw).not.toContain(secret);
      expect(raw.replace(/=\r?\n/g, '')).toContain('https://example.org/fr/staff');
    } finally {
      await smtp.close();
    }
  });
});
