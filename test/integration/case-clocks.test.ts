// Legal clocks on cases: due days from each channel's rules and the holiday calendar, further
// deadlines (the administration's answer to the Médiateur), overdue filtering, and reminders that
// go exactly once even with two app processes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../src/modules/cases/clocks/calendar.js';
import { defaultDeadlines } from '../../src/modules/cases/clocks/deadlines.js';
import { setHoliday } from '../../src/modules/cases/clocks/service.js';
import { dueDaysFrom } from '../../src/modules/cases/intake.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import { submitReport } from '../../src/modules/reports/service.js';
import { createReadyDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';
import { startSmtpServer } from '../helpers/smtp.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let cookie: string;
const users: Record<string, { userId: number; email: string; password: string; recoveryCodes: string[] }> = {};

beforeAll(async () => {
  smtp = await startSmtpServer();
  const ready = await createReadyDatabase();
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' }, ready);
  const mediateur = (await findOrganisationBySlug(t.database.db, 'mediateur'))!;
  const opened = (await keys.openWithRecoveryKey(t.database.db, mediateur.id, ready.recoveryKeys.mediateur!))!;
  for (const [name, role] of [['handler', 'case-handler'], ['admin', 'institution-admin']] as const) {
    const u = await buildUser(identityContext(t.database), { roles: [role], organisationId: mediateur.id });
    await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
    users[name] = u;
    if (name === 'handler') {
      const b = new Browser(() => t.app);
      await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
      cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
  }
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const complaint = async (key: string) => {
  const r = await submitReport(t.database, { channel: 'mediateur-complaint', submissionKey: key, content: { channel: 'mediateur-complaint', questionnaireVersion: 1, answers: { what: 'Dossier sans réponse depuis un an' } } });
  if (!('reportId' in r)) throw new Error('duplicate');
  return r.reportId;
};
const api = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url, headers: { cookie } });

describe('due days', () => {
  it('count working days around fixed and movable holidays', async () => {
    const rules = { ...defaultDeadlines(7), ack: { amount: 5, unit: 'working_days' as const } };
    // Wed 4 Nov 2026: Fri 6 is the Green March, so five working days end on Thu 12.
    expect((await dueDaysFrom(t.database.db, '2026-11-04', rules)).ackDueDay).toBe('2026-11-12');
    await setHoliday(t.database, { day: '2026-11-10', name: { ar: 'عطلة', fr: 'Jour férié de test', en: 'Test holiday' } }, 'cli');
    expect((await dueDaysFrom(t.database.db, '2026-11-04', rules)).ackDueDay).toBe('2026-11-13');
    // Feedback in months, clamped to the month's end.
    expect((await dueDaysFrom(t.database.db, '2026-11-30', rules)).feedbackDueDay).toBe('2027-02-28');
  });

  it('give a Médiateur complaint the administration\'s 30-day deadline, which a handler marks as met', async () => {
    const id = await complaint('clock-1');
    const received = (await api('GET', `/api/v1/cases/${id}`)).json();
    expect(received.otherDeadlines).toEqual([{ id: 'administration', dueDay: addDays(received.receivedDay, 30), metDay: null }]);
    expect(received.ackDueDay).toBe(addDays(received.receivedDay, 7));
    // Overdue when that deadline passed, and no longer once it is met.
    await t.database.db.updateTable('cases').set({ other_due_day: '2020-01-01' }).where('report_id', '=', id).execute();
    expect((await api('GET', '/api/v1/cases?overdue=true')).json().items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await api('POST', `/api/v1/cases/${id}/deadlines/administration`)).statusCode).toBe(200);
    expect((await api('POST', `/api/v1/cases/${id}/deadlines/administration`)).statusCode).toBe(409);
    const met = (await api('GET', `/api/v1/cases/${id}`)).json();
    expect(met.otherDeadlines[0].metDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await api('GET', '/api/v1/cases?overdue=true')).json().items.map((i: { id: number }) => i.id)).not.toContain(id);
    await t.database.db.deleteFrom('cases').where('report_id', '=', id).execute();
  });
});

describe('channel settings', () => {
  it('let an institution admin set the clocks and the acknowledgement text of its channel, with clear errors', async () => {
    const admin = new Browser(() => t.app);
    await admin.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: users.admin!.email, password: users.admin!.password, code: users.admin!.recoveryCodes[1]! });
    const channelId = Number((await t.database.db.selectFrom('channels').select('id').where('slug', '=', 'mediateur-complaint').executeTakeFirstOrThrow()).id);
    const url = `/fr/staff/questionnaires/${channelId}/settings`;
    const page = await admin.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&quot;administration&quot;');
    const form = { ackAmount: '5', ackUnit: 'working_days', feedbackAmount: '2', feedbackUnit: 'months', others: '', retentionDays: '400' };
    const shortRetention = await admin.submitFrom(page, url, { ...form, retentionDays: '5' });
    expect(shortRetention.statusCode).toBe(400);
    expect(shortRetention.body).toContain('href="#retentionDays"');
    const partial = await admin.submitFrom(page, url, { ...form, ackFr: 'Votre plainte est enregistrée.' });
    expect(partial.statusCode).toBe(400);
    expect(partial.body).toContain('href="#ackAr"');
    const badJson = await admin.submitFrom(page, url, { ...form, others: '[{"id": "x"' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).toContain('Ces délais ne sont pas une liste valide');
    const saved = await admin.submitFrom(page, url, { ...form, ackAr: 'سُجلت شكايتك.', ackFr: 'Votre plainte est enregistrée.', ackEn: 'Your complaint is recorded.' });
    expect(saved.statusCode).toBe(303);
    expect(Number((await t.database.db.selectFrom('channels').select('retention_days').where('id', '=', channelId).executeTakeFirstOrThrow()).retention_days)).toBe(400);
    // A new complaint runs on these clocks, and its acknowledgement carries the text.
    const id = await complaint('settings-1');
    const opened = (await api('GET', `/api/v1/cases/${id}`)).json();
    expect(opened.otherDeadlines).toEqual([]);
    expect(opened.feedbackDueDay).toBe((await dueDaysFrom(t.database.db, opened.receivedDay, { ack: { amount: 5, unit: 'working_days' }, feedback: { amount: 2, unit: 'months' }, others: [] })).feedbackDueDay);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/status`, payload: { status: 'acknowledged' }, headers: { cookie } })).statusCode).toBe(200);
    const notices = (await api('GET', `/api/v1/cases/${id}`)).json().messages.filter((m: { author: string }) => m.author === 'notice');
    expect(notices[0].notice.text).toEqual({ ar: 'سُجلت شكايتك.', fr: 'Votre plainte est enregistrée.', en: 'Your complaint is recorded.' });
    // Another institution's admin cannot open these settings.
    expect((await new Browser(() => t.app).get(url)).statusCode).toBe(303);
    await t.database.db.deleteFrom('cases').where('report_id', '=', id).execute();
  });
});

describe('holiday table in the back office', () => {
  it('lets a platform administrator set, correct and delete a religious holiday, with clear errors', async () => {
    const u = await buildUser(identityContext(t.database), { roles: ['platform-admin'], organisationId: null });
    const b = new Browser(() => t.app);
    await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
    const bad = await b.submit('/fr/staff/holidays', '/fr/staff/holidays', { day: '2027-02-30', nameAr: '', nameFr: 'Aïd', nameEn: 'Eid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#day"');
    expect(bad.body).toContain('href="#nameAr"');
    const ok = await b.submit('/fr/staff/holidays', '/fr/staff/holidays', { day: '2027-03-10', nameAr: 'عيد الفطر', nameFr: 'Aïd al-Fitr', nameEn: 'Eid al-Fitr', provisional: 'yes' });
    expect(ok.headers.location).toBe('/fr/staff/holidays?done=set');
    const list = await b.get('/fr/staff/holidays?done=set');
    expect(list.body).toContain('Aïd al-Fitr');
    const confirm = await b.get('/fr/staff/holidays/2027-03-10/delete');
    expect(confirm.body).toContain('Supprimer le jour férié du 2027-03-10 ?');
    expect((await b.submitFrom(confirm, '/fr/staff/holidays/2027-03-10/delete', {})).headers.location).toBe('/fr/staff/holidays?done=removed');
    expect((await b.get('/fr/staff/holidays/2027-03-10/delete')).statusCode).toBe(404);
    const audit = (await t.database.db.selectFrom('audit_log').select('action').where('target', '=', 'holiday:2027-03-10').execute()).map((r) => r.action);
    expect(audit).toEqual(['holiday.set', 'holiday.removed']);
  });
});

describe('reminders', () => {
  it('go exactly once with two app processes: to the handler before the due day, to the admins once overdue', async () => {
    const today = localDay(new Date());
    const soon = await complaint('clock-2');
    await t.database.db.updateTable('cases').set({ ack_due_day: today, handler_id: users.handler!.userId, other_due_day: null, other_deadlines: '[]' }).where('report_id', '=', soon).execute();
    const late = await complaint('clock-3');
    await t.database.db.updateTable('cases').set({ acknowledged_day: addDays(today, -20), feedback_due_day: addDays(today, -1), other_due_day: null, other_deadlines: '[]' }).where('report_id', '=', late).execute();
    await sql`create table test_clock_ready (worker text)`.execute(t.database.db);
    const run = (name: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fixtures/clock-worker.ts', t.test.url, name, smtp.url], { timeout: 90_000 });
    await Promise.all([run('a'), run('b')]);
    // An hour later the scan runs again (its job of the last period is gone): nothing new is sent.
    await t.database.db.deleteFrom('jobs').where('kind', '=', 'cases.clock-scan').execute();
    await sql`delete from test_clock_ready`.execute(t.database.db);
    await Promise.all([run('c'), run('d')]);
    expect(await t.database.db.selectFrom('jobs').select('id').where('kind', '=', 'cases.clock-scan').execute()).toHaveLength(1);
    const mails = smtp.received.map((m) => ({ to: m.to.join(), subject: /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '' }));
    expect(mails).toHaveLength(2);
    expect(mails).toContainEqual({ to: users.handler!.email, subject: expect.stringContaining(`${soon}`) });
    expect(mails).toContainEqual({ to: users.admin!.email, subject: expect.stringContaining(`${late}`) });
    for (const m of smtp.received) expect(m.raw).not.toContain('Dossier sans r');
    // The overdue dashboard lists the late case, not the one merely due today.
    const dashboard = await t.app.inject({ url: '/fr/staff/cases/overdue', headers: { cookie } });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain(`>Dossier n° ${late}</a>`);
    expect(dashboard.body).not.toContain(`>Dossier n° ${soon}</a>`);
    expect(dashboard.body).toContain('1 jour');
  });
});
