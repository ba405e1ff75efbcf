// Files through the pages: the reporter adds evidence from the follow-up page (no JavaScript, a plain
// multipart form), staff see and download it cleaned, as a sandboxed download; refused files get a
// clear message; no plaintext of a file reaches the disk or the database. On a channel whose admin
// chose to keep originals, the reporter is told, and staff download the untouched file apart, audited.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import { submitReport } from '../../src/modules/reports/service.js';
import { createReadyDatabase, usingPostgres } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { cleanJpeg, jpegWithMetadata } from '../helpers/files.js';
import { buildUser, identityContext } from '../helpers/identity.js';

const CANARY = `file-canary-${crypto.randomBytes(4).toString('hex')}`;
let t: TestApp;
let reportId: number;
const reporter = { cookies: new Map<string, string>() };
let staff: Browser;
let admin: Browser;

/** A multipart/form-data body as a browser sends it. */
function multipart(files: { name: string; content: Buffer; type?: string }[]) {
  const boundary = `----nazaha${crypto.randomBytes(8).toString('hex')}`;
  const parts = files.map((f) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`),
    f.content, Buffer.from('\r\n'),
  ]));
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const cookieOf = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function upload(jar: Map<string, string>, pageUrl: string, action: string, files: { name: string; content: Buffer }[]) {
  const page = await t.app.inject({ url: pageUrl, headers: { cookie: cookieOf(jar) } });
  for (const c of page.cookies) jar.set(c.name, c.value);
  const token = page.body.match(new RegExp(`action="${action.replaceAll('/', '\\/')}\\?_csrf=([^"]+)"`))?.[1];
  if (!token) throw new Error(`no file form on ${pageUrl}`);
  const body = multipart(files);
  return t.app.inject({ method: 'POST', url: `${action}?_csrf=${token}`, payload: body.payload, headers: { 'content-type': body.contentType, cookie: cookieOf(jar) } });
}

beforeAll(async () => {
  const ready = await createReadyDatabase();
  t = await createTestApp({ RATE_LIMIT_MAX: '100000', ATTACHMENT_MAX_BYTES: String(64 * 1024) }, ready);
  const inpplc = (await findOrganisationBySlug(t.database.db, 'inpplc'))!;
  const u = await buildUser(identityContext(t.database), { roles: ['case-handler'], organisationId: inpplc.id });
  const opened = (await keys.openWithRecoveryKey(t.database.db, inpplc.id, ready.recoveryKeys.inpplc!))!;
  await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  staff = new Browser(() => t.app);
  await staff.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  const a = await buildUser(identityContext(t.database), { roles: ['institution-admin'], organisationId: inpplc.id });
  admin = new Browser(() => t.app);
  await admin.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: a.email, password: a.password, code: a.recoveryCodes[0]! });
  const r = await submitReport(t.database, { channel: 'inpplc-corruption', submissionKey: 'files-1', content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'Pot-de-vin' } } });
  if (!('reporterCookie' in r)) throw new Error('duplicate');
  reportId = r.reportId;
  // Right after sending, the reporter is signed in to their report (the receipt page links to it).
  reporter.cookies.set('nazaha-reporter', r.reporterCookie);
});
afterAll(() => t.close());

describe('attachments through the pages', () => {
  it('the reporter adds a photo from the follow-up page; its location and author are removed', async () => {
    const res = await upload(reporter.cookies, '/fr/follow-up/report', '/fr/follow-up/attachments', [{ name: 'guichet.jpg', content: jpegWithMetadata(CANARY) }]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/follow-up/report?added=1#attachments');
    const page = await t.app.inject({ url: '/fr/follow-up/report?added=1', headers: { cookie: cookieOf(reporter.cookies) } });
    expect(page.body).toContain('Fichier ajouté.');
    expect(page.body).toContain('guichet.jpg');
    expect(page.body).toContain('informations cachées retirées');
  });

  it('refuses a file whose content does not match its name, and one over the size limit, saying why', async () => {
    const mismatch = await upload(reporter.cookies, '/fr/follow-up/report', '/fr/follow-up/attachments', [{ name: 'contrat.pdf', content: jpegWithMetadata('x') }]);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('<a href="#files">Le contenu de ce fichier ne correspond pas à son nom</a>');
    const big = await upload(reporter.cookies, '/fr/follow-up/report', '/fr/follow-up/attachments', [{ name: 'notes.txt', content: Buffer.alloc(65 * 1024, 'a') }]);
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('Ce fichier est trop volumineux');
    const none = await upload(reporter.cookies, '/fr/follow-up/report', '/fr/follow-up/attachments', [{ name: '', content: Buffer.alloc(0) }]);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choisissez au moins un fichier');
    expect((await t.database.db.selectFrom('report_attachments').select('id').execute())).toHaveLength(1);
  });

  it('staff see the file and download it cleaned, never rendered inline', async () => {
    const page = await staff.get(`/fr/staff/cases/${reportId}`);
    const href = page.body.match(/href="(\/fr\/staff\/cases\/\d+\/attachments\/\d+)"/)![1]!;
    const res = await staff.get(href);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="guichet.jpg"; filename*=UTF-8''guichet.jpg`);
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
    const api = await t.app.inject({ url: `/api/v1/cases/${reportId}/attachments/1`, headers: { cookie: cookieOf(staff.cookies) } });
    expect(api.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/cases/${reportId}/attachments/1` })).statusCode).toBe(401);
    const reads = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'case.attachment-read').execute();
    expect(reads).toHaveLength(2);
  });

  it('staff add a file of their own to the case', async () => {
    const res = await upload(staff.cookies, `/fr/staff/cases/${reportId}`, `/fr/staff/cases/${reportId}/attachments`, [{ name: 'convocation.txt', content: Buffer.from(`Convocation ${CANARY}`) }]);
    expect(res.statusCode).toBe(303);
    const page = await staff.get(`/fr/staff/cases/${reportId}`);
    expect(page.body).toContain('convocation.txt');
    expect(page.body).toContain("convocation.txt</bdi></a> · 1 Ko · de l'institution");
  });

  describe('on a channel that keeps originals', () => {
    const keeper = { cookies: new Map<string, string>() };
    let keptReport: number;
    let settingsUrl: string;
    const photo = jpegWithMetadata(CANARY);
    const clocks = { ackAmount: '7', ackUnit: 'calendar_days', feedbackAmount: '3', feedbackUnit: 'months', others: '', retentionDays: '1825' };

    it('an institution admin turns the setting on from the channel settings page, and off again; each change is audited', async () => {
      const channelId = Number((await t.database.db.selectFrom('channels').select('id').where('slug', '=', 'inpplc-public-official').executeTakeFirstOrThrow()).id);
      settingsUrl = `/fr/staff/questionnaires/${channelId}/settings`;
      const page = await admin.get(settingsUrl);
      expect(page.body).toContain('Un procureur ou un tribunal peut pourtant avoir besoin du fichier');
      expect(page.body).toContain('<input type="checkbox" id="keepOriginals" name="keepOriginals" value="yes" aria-describedby="keepOriginals-hint"/>');
      expect((await admin.submitFrom(page, settingsUrl, { ...clocks, keepOriginals: 'yes' })).statusCode).toBe(303);
      expect((await admin.get(settingsUrl)).body).toContain('name="keepOriginals" value="yes" checked');
      expect((await admin.submitFrom(await admin.get(settingsUrl), settingsUrl, clocks)).statusCode).toBe(303);
      expect((await admin.get(settingsUrl)).body).not.toContain('name="keepOriginals" value="yes" checked');
      expect((await admin.submitFrom(await admin.get(settingsUrl), settingsUrl, { ...clocks, keepOriginals: 'yes' })).statusCode).toBe(303);
      const audited = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'channel.settings-changed').where('target', '=', `channel:${channelId}`).orderBy('seq').execute();
      expect(audited.map((a) => JSON.parse(String(a.details)).keep_originals)).toEqual([true, false, true]);
    });

    it('the reporter is told on the upload form, and only on that channel', async () => {
      const r = await submitReport(t.database, { channel: 'inpplc-public-official', submissionKey: 'files-2', content: { channel: 'inpplc-public-official', questionnaireVersion: 1, answers: { what: 'Marché truqué' } } });
      if (!('reporterCookie' in r)) throw new Error('duplicate');
      keptReport = r.reportId;
      keeper.cookies.set('nazaha-reporter', r.reporterCookie);
      const told = "cette institution garde aussi l'original intact, chiffré, comme preuve possible";
      const page = await t.app.inject({ url: '/fr/follow-up/report', headers: { cookie: cookieOf(keeper.cookies) } });
      expect(page.body.replaceAll('&#x27;', "'")).toContain(told);
      const other = await t.app.inject({ url: '/fr/follow-up/report', headers: { cookie: cookieOf(reporter.cookies) } });
      expect(other.body.replaceAll('&#x27;', "'")).not.toContain(told);
      expect(other.body).toContain('Les informations cachées des photos et PDF (lieu, auteur, appareil) sont retirées.');
    });

    it('staff see that the original is kept, download the cleaned copy and, apart and audited, the untouched original', async () => {
      const res = await upload(keeper.cookies, '/fr/follow-up/report', '/fr/follow-up/attachments', [{ name: 'chantier.jpg', content: photo }]);
      expect(res.statusCode).toBe(303);
      const page = await staff.get(`/fr/staff/cases/${keptReport}`);
      expect(page.body).toContain('original gardé sous scellé');
      const cleanedHref = page.body.match(/href="(\/fr\/staff\/cases\/\d+\/attachments\/(\d+))"/)!;
      const fileId = cleanedHref[2]!;
      const cleaned = await staff.get(cleanedHref[1]!);
      expect(cleaned.rawPayload.equals(cleanJpeg())).toBe(true);
      expect(cleaned.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
      expect(page.body).toContain(`href="/fr/staff/cases/${keptReport}/attachments/${fileId}/original"`);
      const original = await staff.get(`/fr/staff/cases/${keptReport}/attachments/${fileId}/original`);
      expect(original.statusCode).toBe(200);
      expect(original.rawPayload.equals(photo)).toBe(true);
      expect(original.headers['content-type']).toBe('application/octet-stream');
      expect(original.headers['content-disposition']).toBe(`attachment; filename="chantier.jpg"; filename*=UTF-8''chantier.jpg`);
      expect(original.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      const api = await t.app.inject({ url: `/api/v1/cases/${keptReport}/attachments/${fileId}/original`, headers: { cookie: cookieOf(staff.cookies) } });
      expect(api.statusCode).toBe(200);
      expect(api.rawPayload.equals(photo)).toBe(true);
      expect((await t.app.inject({ url: `/api/v1/cases/${keptReport}/attachments/${fileId}/original` })).statusCode).toBe(401);
      const view = (await t.app.inject({ url: `/api/v1/cases/${keptReport}`, headers: { cookie: cookieOf(staff.cookies) } })).json();
      expect(view.attachments[0]).toMatchObject({ name: 'chantier.jpg', size: cleanJpeg().length, original: { size: photo.length } });
      const reads = await t.database.db.selectFrom('audit_log').select(['target', 'details']).where('action', '=', 'case.attachment-original-read').execute();
      expect(reads).toHaveLength(2);
      expect(reads.map((r) => [r.target, JSON.parse(String(r.details)).attachment])).toEqual([[`case:${keptReport}`, Number(fileId)], [`case:${keptReport}`, Number(fileId)]]);
    });

    it('a file of the default channel has no original to download', async () => {
      const page = await staff.get(`/fr/staff/cases/${reportId}`);
      expect(page.body).not.toContain('original gardé sous scellé');
      expect((await staff.get(`/fr/staff/cases/${reportId}/attachments/1/original`)).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/v1/cases/${reportId}/attachments/1/original`, headers: { cookie: cookieOf(staff.cookies) } })).statusCode).toBe(404);
      const view = (await t.app.inject({ url: `/api/v1/cases/${reportId}`, headers: { cookie: cookieOf(staff.cookies) } })).json();
      expect(view.attachments[0].original).toBeNull();
    });
  });

  it('leaves no plaintext of any file in DATA_DIR or the database file', async () => {
    const files: string[] = [];
    const walk = (dir: string) => { for (const f of fs.readdirSync(dir)) { const p = path.join(dir, f); if (fs.statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(t.test.dataDir);
    expect(files.some((f) => f.includes(`${path.sep}attachments${path.sep}`))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f).includes(Buffer.from(CANARY)), f).toBe(false);
    if (usingPostgres()) {
      const dump = execFileSync('pg_dump', ['--data-only', t.test.url], { maxBuffer: 256 * 1024 * 1024 });
      expect(dump.includes(Buffer.from(CANARY)), 'pg_dump contains the canary').toBe(false);
    } else {
      expect(files.some((f) => f.endsWith('.sqlite')), 'the database file is among those searched').toBe(true);
    }
    // The kept original is there, and as ciphertext like the rest.
    expect((await t.database.db.selectFrom('report_attachments').select('original_storage_key').where('original_storage_key', 'is not', null).execute())).toHaveLength(1);
  });
});
