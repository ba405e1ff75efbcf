// The case file export, on a real database and disk storage: a case with Arabic and French messages,
// a portal notice, a note, a custody request, a protection measure and files is exported; the ZIP is
// read back byte for byte, its HTML checked, SHA256SUMS verified, and the SHA-256 of the exact bytes
// received found in the audit log. Then who may not export, an interrupted download, and a stored
// file altered on disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import type { Role } from '../../src/modules/identity/roles.js';
import { addAttachment } from '../../src/modules/reports/attachments/service.js';
import { findReport, reporterReply, submitReport } from '../../src/modules/reports/service.js';
import { createStorage } from '../../src/storage/index.js';
import { translate } from '../../src/web/i18n.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { createReadyDatabase } from '../helpers/db.js';
import { jpegWithMetadata } from '../helpers/files.js';
import { buildUser, identityContext } from '../helpers/identity.js';
import { unzip } from '../helpers/unzip.js';

const ARABIC_MESSAGE = 'طلب مني الموظف مبلغ ألفي درهم مقابل تسليم الرخصة.';
const FRENCH_MESSAGE = 'Merci, pouvez-vous préciser le guichet ?';
const NOTE = 'Note interne : vérifier le registre des permis.';
const TEXT_FILE = Buffer.from('Reçu manuscrit — وصل مكتوب باليد\n');
const GPS_CANARY = 'GPS-CANARY-export';

let t: TestApp;
let recoveryKey: string;
let reportId: number;
let otherReportId: number;
const org: Record<string, number> = {};
const people: Record<string, Browser> = {};
const userIds: Record<string, number> = {};

async function person(name: string, slug: string, roles: Role[], withKeys = true): Promise<void> {
  const ctx = identityContext(t.database);
  const u = await buildUser(ctx, { roles, organisationId: org[slug]! });
  if (withKeys) {
    const opened = (await keys.openWithRecoveryKey(t.database.db, org[slug]!, slug === 'inpplc' ? recoveryKey : mediateurKey))!;
    await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  }
  const browser = new Browser(() => t.app);
  const res = await browser.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  expect(res.statusCode, `sign-in of ${name}`).toBe(303);
  people[name] = browser;
  userIds[name] = u.userId;
}
let mediateurKey: string;

const cookie = (who: string) => [...people[who]!.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const api = (who: string | null, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers: { ...headers, ...(who ? { cookie: cookie(who) } : {}) } });
const post = (who: string, url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { cookie: cookie(who) } });
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The audit entries of one action on one case; the export's entry is written once the response is over, so wait a little. */
async function auditOf(action: string, caseId: number, atLeast = 1) {
  for (let i = 0; i < 100; i++) {
    const rows = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target', '=', `case:${caseId}`).orderBy('seq').execute();
    if (rows.length >= atLeast) return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${action} for case ${caseId}`);
}

async function attach(id: number, name: string, content: Buffer) {
  const report = (await findReport(t.database.db, id))!;
  return addAttachment({
    db: t.database.db, storage: createStorage({ kind: 'disk', dir: path.join(t.test.dataDir, 'attachments') }), reportId: id,
    reportPublicKey: Buffer.from(report.public_key, 'base64'), stream: Readable.from([content]), declaredName: name,
    limits: { maxBytes: 20 * 1024 * 1024, reportMaxBytes: 100 * 1024 * 1024, pdfMaxBytes: 20 * 1024 * 1024 },
  });
}

beforeAll(async () => {
  const ready = await createReadyDatabase();
  recoveryKey = ready.recoveryKeys.inpplc!;
  mediateurKey = ready.recoveryKeys.mediateur!;
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' }, ready);
  for (const slug of ['inpplc', 'mediateur']) org[slug] = (await findOrganisationBySlug(t.database.db, slug))!.id;
  await person('handler', 'inpplc', ['case-handler']);
  await person('admin', 'inpplc', ['institution-admin']);
  await person('custodian', 'inpplc', ['custodian']);
  await person('newcomer', 'inpplc', ['case-handler'], false);
  await person('mediateur', 'mediateur', ['case-handler']);

  const r = await submitReport(t.database, {
    channel: 'inpplc-corruption', submissionKey: 'export-1',
    content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'رشوة في مصلحة الرخص — pot-de-vin au guichet', region: 'MA-06', when: '2026-10-01' } },
    identity: { name: 'Amina Témoin', contact: '0611223344' },
  });
  if (!('reporterCookie' in r)) throw new Error('duplicate');
  reportId = r.reportId;
  expect(await reporterReply(t.database, r.reporterCookie, ARABIC_MESSAGE)).toBe(true);
  const h = (url: string, body: object) => post('handler', `/api/v1/cases/${reportId}/${url}`, body).then((res) => expect(res.statusCode, url).toBe(200));
  await h('status', { status: 'acknowledged' });
  await h('messages', { body: FRENCH_MESSAGE });
  await h('notes', { body: NOTE });
  await h('protection-measures', { body: 'Interlocuteur dédié désigné', followUpDay: '2099-01-15' });
  const request = await post('handler', `/api/v1/cases/${reportId}/custody-requests`, { reason: 'Audition du témoin' });
  expect((await post('custodian', `/api/v1/custody-requests/${request.json().requestId}/decision`, { approve: false, note: 'Motif insuffisant' })).statusCode).toBe(200);
  await attach(reportId, 'وصل "reçu".txt', TEXT_FILE);
  await attach(reportId, 'photo.jpg', jpegWithMetadata(GPS_CANARY));
  await attach(reportId, 'reçu.txt', Buffer.from('second file with the same name\n'));

  const other = await submitReport(t.database, { channel: 'inpplc-corruption', submissionKey: 'export-2', content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'Un gros dossier' } } });
  if (!('reportId' in other)) throw new Error('duplicate');
  otherReportId = other.reportId;
});
afterAll(() => t.close());

describe('exporting a case file', () => {
  it('gives a ZIP of the HTML case file in Arabic, the files as stored, and SHA256SUMS; its SHA-256 goes to the audit log', async () => {
    const res = await api('handler', `/api/v1/cases/${reportId}/export?lang=ar`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    // Sent as it is (never re-compressed), so the bytes received are the bytes hashed.
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="case-${reportId}-\\d{4}-\\d{2}-\\d{2}\\.zip"`));
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    const zip = res.rawPayload;
    const entries = unzip(zip);
    const htmlName = `case-${reportId}.html`;
    expect([...entries.keys()]).toEqual(['attachments/1-وصل _reçu_.txt', 'attachments/2-photo.jpg', 'attachments/3-reçu.txt', htmlName, 'SHA256SUMS']);

    // The files, decrypted, exactly as the portal stores them (the photo without its GPS metadata).
    expect(entries.get('attachments/1-وصل _reçu_.txt')!.data.equals(TEXT_FILE)).toBe(true);
    const photo = entries.get('attachments/2-photo.jpg')!.data;
    const single = await api('handler', `/api/v1/cases/${reportId}/attachments/2`);
    expect(photo.equals(single.rawPayload)).toBe(true);
    expect(photo.includes(Buffer.from(GPS_CANARY))).toBe(false);

    const html = entries.get(htmlName)!.data.toString('utf8');
    expect(html).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
    expect(html).toContain(`<p dir="auto" class="message-body">${ARABIC_MESSAGE}</p>`);
    expect(html).toContain(FRENCH_MESSAGE);
    expect(html).toContain(NOTE);
    expect(html).toContain('رشوة في مصلحة الرخص');
    expect(html).toContain('Audition du témoin');
    expect(html).toContain('Motif insuffisant');
    expect(html).toContain('Interlocuteur dédié désigné');
    // The portal's notice in the exporter's language, and labels of the questionnaire the report used.
    const { feedbackDueDay } = (await api('handler', `/api/v1/cases/${reportId}`)).json() as { feedbackDueDay: string };
    expect(html).toContain(translate('ar', 'notice.acknowledged', { day: feedbackDueDay }));
    expect(html).toContain(translate('ar', 'export.identity_left_out'));
    // Never the identity, never anything from elsewhere.
    expect(html).not.toContain('Amina');
    expect(html).not.toContain('0611223344');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'sha256-');

    // SHA256SUMS lists the HTML and every file with the SHA-256 of its bytes, as sha256sum writes it.
    const sums = entries.get('SHA256SUMS')!.data.toString('utf8').trimEnd().split('\n').map((l) => l.split('  ') as [string, string]);
    expect(sums.map(([, name]) => name)).toEqual([htmlName, 'attachments/1-وصل _reçu_.txt', 'attachments/2-photo.jpg', 'attachments/3-reçu.txt']);
    for (const [hash, name] of sums) expect(hash, name).toBe(sha256(entries.get(name)!.data));
    // The HTML lists each file's fingerprint too.
    for (const [hash, name] of sums.slice(1)) {
      expect(html).toContain(hash);
      expect(html).toContain(name);
    }

    const [exported] = await auditOf('case.exported', reportId);
    expect(exported!.actor).toBe(`user:${userIds.handler}`);
    expect(exported!.details).toEqual({ sha256: sha256(zip), html_sha256: sha256(entries.get(htmlName)!.data), attachments: 3, bytes: zip.length });
    // Opening the case for the export is a read like any other.
    expect((await auditOf('case.read', reportId)).some((r) => r.actor === `user:${userIds.handler}`)).toBe(true);
  });

  it('from the case page, in the page\'s language, for an institution admin; the case page links to it', async () => {
    const page = await people.admin!.get(`/fr/staff/cases/${reportId}`);
    expect(page.body).toContain(`href="/fr/staff/cases/${reportId}/export"`);
    const res = await people.admin!.get(`/fr/staff/cases/${reportId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const html = unzip(res.rawPayload).get(`case-${reportId}.html`)!.data.toString('utf8');
    expect(html).toMatch(/^<!doctype html><html lang="fr" dir="ltr">/);
    expect(html).toContain(`<p dir="auto" class="message-body">${ARABIC_MESSAGE}</p>`);
    expect(html).toContain(translate('fr', 'notice.acknowledged', { day: (await api('handler', `/api/v1/cases/${reportId}`)).json().feedbackDueDay }));
    const audited = await auditOf('case.exported', reportId, 2);
    expect(audited.at(-1)!.details.sha256).toBe(sha256(res.rawPayload));
    // The API's language follows Accept-Language when not asked for.
    const en = await api('handler', `/api/v1/cases/${reportId}/export`, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(unzip(en.rawPayload).get(`case-${reportId}.html`)!.data.toString('utf8')).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect((await auditOf('case.exported', reportId, 3)).at(-1)!.details.sha256).toBe(sha256(en.rawPayload));
  });

  it('does not answer HEAD, which would open and decrypt the case for nothing', async () => {
    const entries = () => t.database.db.selectFrom('audit_log').select('seq').where('target', '=', `case:${reportId}`).execute();
    const before = await entries();
    const res = await t.app.inject({ method: 'HEAD', url: `/api/v1/cases/${reportId}/export`, headers: { cookie: cookie('handler') } });
    expect(res.statusCode).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await entries()).toEqual(before);
  });

  it('exports a case without files or messages', async () => {
    const res = await api('handler', `/api/v1/cases/${otherReportId}/export?lang=zgh`);
    expect(res.statusCode).toBe(200);
    const entries = unzip(res.rawPayload);
    expect([...entries.keys()]).toEqual([`case-${otherReportId}.html`, 'SHA256SUMS']);
    expect(entries.get(`case-${otherReportId}.html`)!.data.toString('utf8')).toContain(translate('zgh', 'export.attachments.none'));
  });
});

describe('who may export', () => {
  it('answers 401 to anonymous callers of the API and sends pages to sign-in', async () => {
    const res = await api(null, `/api/v1/cases/${reportId}/export`);
    expect(res.statusCode).toBe(401);
    expect((await api(null, '/api/v1/cases/not-a-number/export?lang=xx')).statusCode).toBe(401);
    const page = await t.app.inject({ url: `/ar/staff/cases/${reportId}/export` });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/ar/staff/sign-in?next=${encodeURIComponent(`/ar/staff/cases/${reportId}/export`)}`);
  });

  it('hides the case from another institution (404), refuses custodians (403) and members without the key', async () => {
    expect((await api('mediateur', `/api/v1/cases/${reportId}/export`)).statusCode).toBe(404);
    expect((await people.mediateur!.get(`/fr/staff/cases/${reportId}/export`)).statusCode).toBe(404);
    expect((await api('custodian', `/api/v1/cases/${reportId}/export`)).statusCode).toBe(403);
    expect((await people.custodian!.get(`/fr/staff/cases/${reportId}/export`)).statusCode).toBe(403);
    expect((await people.custodian!.get(`/fr/staff/cases/${reportId}`)).body).not.toContain('/export"');
    const res = await api('newcomer', `/api/v1/cases/${reportId}/export`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('keys_missing');
    expect((await api('handler', '/api/v1/cases/999999/export')).statusCode).toBe(404);
    expect((await api('handler', `/api/v1/cases/${reportId}/export?lang=de`)).statusCode).toBe(400);
    const exports = await t.database.db.selectFrom('audit_log').select('actor').where('action', 'in', ['case.exported', 'case.export-aborted'])
      .where('actor', 'in', ['mediateur', 'custodian', 'newcomer'].map((p) => `user:${userIds[p]}`)).execute();
    expect(exports).toEqual([]);
  });
});

describe('an export that does not finish', () => {
  let base: string;
  beforeAll(async () => {
    // More than socket buffers hold, so that a client that stops reading stops the export half-way.
    for (const name of ['gros-1.txt', 'gros-2.txt']) await attach(otherReportId, name, Buffer.alloc(12 * 1024 * 1024, 'dossier '));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  /** Reads the response until `stopAfter` bytes (then hangs up), or to its end. */
  function download(url: string, stopAfter = Infinity): Promise<{ status: number; bytes: number; complete: boolean }> {
    return new Promise((resolve) => {
      const req = http.get(`${base}${url}`, { headers: { cookie: cookie('handler') } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= stopAfter && !res.isPaused()) {
            // Stop reading, as a stalled client would, then hang up.
            res.pause();
            setTimeout(() => req.destroy(), 200);
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, bytes, complete: true }));
        res.on('close', () => resolve({ status: res.statusCode!, bytes, complete: res.complete }));
        res.on('error', () => undefined);
      });
      req.on('error', () => resolve({ status: 0, bytes: 0, complete: false }));
    });
  }

  it('records case.export-aborted when the client hangs up', async () => {
    const got = await download(`/api/v1/cases/${otherReportId}/export`, 64 * 1024);
    expect(got).toMatchObject({ status: 200, complete: false });
    const [aborted] = await auditOf('case.export-aborted', otherReportId);
    expect(aborted!.details).toMatchObject({ reason: 'closed' });
    expect(aborted!.details.bytes).toBeLessThan(24 * 1024 * 1024);
    const full = await download(`/api/v1/cases/${otherReportId}/export`);
    expect(full.complete).toBe(true);
    expect((await auditOf('case.exported', otherReportId, 2)).at(-1)!.details.bytes).toBe(full.bytes);
  });

  it('fails, and records it, when a stored file was altered: nothing is passed off as a complete export', async () => {
    const row = await t.database.db.selectFrom('report_attachments').select('storage_key').where('report_id', '=', otherReportId).orderBy('id').executeTakeFirstOrThrow();
    const file = path.join(t.test.dataDir, 'attachments', ...row.storage_key.split('/'));
    const stored = fs.readFileSync(file);
    const middle = Math.floor(stored.length / 2);
    stored.writeUInt8(stored[middle]! ^ 0xff, middle);
    fs.writeFileSync(file, stored);
    const before = (await auditOf('case.exported', otherReportId, 2)).length;
    const got = await download(`/api/v1/cases/${otherReportId}/export`);
    expect(got.complete).toBe(false);
    const failed = await auditOf('case.export-aborted', otherReportId, 2);
    expect(failed.at(-1)!.details).toMatchObject({ reason: 'failed' });
    expect((await auditOf('case.exported', otherReportId, 2)).length).toBe(before);
  });
});
