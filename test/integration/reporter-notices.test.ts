// E-mail notices to reporters who left an address: queued when a handler acts on the case, sent
// through a real SMTP server, carrying no content, and never holding the address in clear in the
// database.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '../../src/jobs/queue.js';
import { createMailer } from '../../src/mail/mailer.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import { registerReporterNotices } from '../../src/modules/reports/notices.js';
import { submitReport } from '../../src/modules/reports/service.js';
import { deriveKey } from '../../src/secrets.js';
import { createReadyDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';
import { startSmtpServer } from '../helpers/smtp.js';

const ADDRESS = 'notice-canary-4d2b@example.org';
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let cookie: string;
let withAddress: number;
let withoutAddress: number;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const ready = await createReadyDatabase();
  t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://nazaha.example.ma' }, ready);
  const inpplc = (await findOrganisationBySlug(t.database.db, 'inpplc'))!;
  const u = await buildUser(identityContext(t.database), { roles: ['case-handler'], organisationId: inpplc.id });
  const opened = (await keys.openWithRecoveryKey(t.database.db, inpplc.id, ready.recoveryKeys.inpplc!))!;
  await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  const b = new Browser(() => t.app);
  await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const submit = async (key: string, noticeAddress?: string) => {
    const r = await submitReport(t.database, { channel: 'inpplc-corruption', submissionKey: key, noticeAddress, noticeLocale: 'ar', content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'Rashwa' } } });
    if (!('reportId' in r)) throw new Error('duplicate');
    return r.reportId;
  };
  withAddress = await submit('notice-1', ADDRESS);
  withoutAddress = await submit('notice-2');
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** The decoded text of a single-part message (nodemailer uses base64 or quoted-printable for non-ASCII). */
function bodyText(raw: string): string {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/content-transfer-encoding: base64/i.test(head!)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head!)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

const pendingNotices = () => t.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'reports.notify-reporter').where('status', '=', 'pending').execute();
const message = (id: number, body: string) => t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/messages`, payload: { body }, headers: { cookie } });

describe('reporter notices', () => {
  it('queue one notice per report and day, with the address encrypted, and none without an address', async () => {
    expect((await message(withAddress, 'Première question secrète')).statusCode).toBe(200);
    expect((await message(withAddress, 'Deuxième question secrète')).statusCode).toBe(200);
    expect((await message(withoutAddress, 'Question')).statusCode).toBe(200);
    const jobs = await pendingNotices();
    expect(jobs).toHaveLength(1);
    expect(JSON.stringify(jobs)).not.toContain('notice-canary');
  });

  it('are sent through SMTP in the reporter\'s language, with a link and no content', async () => {
    const worker = registerReporterNotices(new Worker({ database: t.database, log: pino({ level: 'silent' }) }), {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'portal@nazaha.example.ma', dataDir: t.test.dataDir }),
      publicUrl: 'https://nazaha.example.ma', noticeKey: deriveKey(Buffer.from('07'.repeat(32), 'hex'), 'reporter-notices'),
    });
    expect(await worker.drain()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual([ADDRESS]);
    const text = bodyText(mail.raw);
    expect(text).toContain('https://nazaha.example.ma/ar/follow-up');
    expect(text).toContain('مستجدات');
    expect(text).not.toContain('secr');
    expect(mail.raw + text).not.toContain('Rashwa');
  });

  it('are not written to the outbox when no SMTP server is configured', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${withAddress}/status`, payload: { status: 'acknowledged' }, headers: { cookie } })).statusCode).toBe(200);
    const worker = registerReporterNotices(new Worker({ database: t.database, log: pino({ level: 'silent' }) }), {
      mailer: createMailer({ smtpUrl: undefined, from: 'portal@nazaha.example.ma', dataDir: t.test.dataDir }),
      publicUrl: 'https://nazaha.example.ma', noticeKey: deriveKey(Buffer.from('07'.repeat(32), 'hex'), 'reporter-notices'),
    });
    // Today's notice was sent already: acknowledging the same day queues nothing new.
    expect(await worker.drain()).toBe(0);
    const fs = await import('node:fs');
    const path = await import('node:path');
    expect(fs.existsSync(path.join(t.test.dataDir, 'outbox')) ? fs.readdirSync(path.join(t.test.dataDir, 'outbox')).join() : '').not.toContain('eml');
  });
});
