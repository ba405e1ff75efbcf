// The reporting journey through the pages, without JavaScript: channel, steps, anonymity, notices,
// review, receipt; then follow-up with the receipt, a handler's message and the reporter's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMessage } from '../../src/modules/reports/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const reportCount = async () => (await t.database.db.selectFrom('reports').select('id').execute()).length;

async function reportUntilReview(b: Browser, lang = 'fr') {
  expect((await b.submit(`/${lang}/report?institution=inpplc`, `/${lang}/report`, { channel: 'inpplc-corruption' })).headers.location).toBe(`/${lang}/report/step/facts`);
  expect((await b.submit(`/${lang}/report/step/facts`, `/${lang}/report/step/facts`, { what: 'Un agent exige 500 dirhams pour délivrer un certificat.', when: '2026-10-02', amount: '500' })).headers.location).toBe(`/${lang}/report/step/place`);
  expect((await b.submit(`/${lang}/report/step/place`, `/${lang}/report/step/place`, { region: 'MA-06', administration: 'Commune X', who: '', proof: '' })).headers.location).toBe(`/${lang}/report/identity`);
  expect((await b.submit(`/${lang}/report/identity`, `/${lang}/report/identity`, { mode: 'anonymous' })).headers.location).toBe(`/${lang}/report/notices`);
  expect((await b.submit(`/${lang}/report/notices`, `/${lang}/report/notices`, { mode: 'none' })).headers.location).toBe(`/${lang}/report/review`);
}

describe('reporting', () => {
  it('the channel page offers the institution\'s channels, anonymous and safe by default', async () => {
    const res = await new Browser(() => t.app).get('/fr/report?institution=inpplc');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Signaler une corruption');
    expect(res.body).toContain('Agent public : signaler une atteinte à la probité');
    expect(res.body).not.toContain('mediateur-complaint');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('explains a missing or wrong answer on the step itself, and keeps what was typed', async () => {
    const b = new Browser(() => t.app);
    await b.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    const res = await b.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: '', when: '2999-01-01', amount: 'beaucoup' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#what">Répondez à cette question</a>');
    expect(res.body).toContain('<a href="#when">Saisissez une date réelle, pas dans le futur</a>');
    expect(res.body).toContain('<a href="#amount">Saisissez un montant en dirhams, en chiffres</a>');
    expect(res.body).toContain('value="beaucoup"');
    expect(res.body).toContain('type="date"');
    expect(res.body).toContain('type="number"');
  });

  it('goes from the channel to the receipt in at most eight pages, and the receipt is shown once', async () => {
    const b = new Browser(() => t.app);
    await reportUntilReview(b);
    const review = await b.get('/fr/report/review');
    expect(review.body).toContain('Un agent exige 500 dirhams');
    expect(review.body).toContain('Casablanca-Settat');
    expect(review.body).toContain('Vous restez anonyme.');
    expect(review.body).toContain('loi 09-08');
    expect(review.body).toContain('type="checkbox" id="confirm" name="confirm" value="yes" required');
    const unconfirmed = await b.submit('/fr/report/review', '/fr/report/submit', {});
    expect(unconfirmed.statusCode).toBe(400);
    const before = await reportCount();
    // The browser sends the same form twice (a double click, a reload): one report only.
    const csrf = (await b.get('/fr/report/review')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const done = await b.request('POST', '/fr/report/submit', { confirm: 'yes', _csrf: csrf });
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatch(/<p class="receipt" id="receipt" dir="ltr" lang="en">[0-9A-Z]{4}(-[0-9A-Z]{4}){4}<\/p>/);
    expect(done.body).toContain('accuse réception de votre signalement sous 7 jours');
    const replay = await b.request('POST', '/fr/report/submit', { confirm: 'yes', _csrf: csrf });
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('Ce signalement a déjà été envoyé');
    expect(await reportCount()).toBe(before + 1);
  });

  it('an expired or tampered draft gets a clear message and stores nothing', async () => {
    const b = new Browser(() => t.app);
    await b.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    await t.database.db.updateTable('report_drafts').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const res = await b.get('/fr/report/step/facts');
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Votre brouillon de signalement a expiré');
    const tampered = new Browser(() => t.app);
    tampered.cookies.set('nazaha-draft', `${'A'.repeat(43)}.${'B'.repeat(43)}`);
    expect((await tampered.get('/fr/report/review')).statusCode).toBe(410);
  });

  it('the public-official channel never asks for identity', async () => {
    const b = new Browser(() => t.app);
    await b.submit('/fr/report', '/fr/report', { channel: 'inpplc-public-official' });
    await b.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Marché attribué sans concurrence.' });
    const place = await b.submit('/fr/report/step/place', '/fr/report/step/place', {});
    expect(place.headers.location).toBe('/fr/report/notices');
    expect((await b.get('/fr/report/identity')).headers.location).toBe('/fr/report/notices');
  });
});

describe('follow-up', () => {
  it('opens the report with the receipt alone, shows it as sent, a handler\'s message, and takes an answer', async () => {
    const b = new Browser(() => t.app);
    await reportUntilReview(b, 'ar');
    const done = await b.submit('/ar/report/review', '/ar/report/submit', { confirm: 'yes' });
    const receipt = done.body.match(/id="receipt" dir="ltr" lang="en">([0-9A-Z-]+)</)![1]!;
    const id = Number((await t.database.db.selectFrom('reports').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id);
    await addMessage(t.database.db, id, 'staff', 'Merci. Avez-vous un reçu ?');
    const r = new Browser(() => t.app);
    const wrong = await r.submit('/ar/follow-up', '/ar/follow-up', { receipt: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('هذا الرمز لا يفتح أي تبليغ');
    const ok = await r.submit('/ar/follow-up', '/ar/follow-up', { receipt: receipt.toLowerCase() });
    expect(ok.headers.location).toBe('/ar/follow-up/report');
    const page = await r.get('/ar/follow-up/report');
    expect(page.body).toContain('Un agent exige 500 dirhams');
    expect(page.body).toContain('Merci. Avez-vous un reçu ?');
    expect((await r.submit('/ar/follow-up/report', '/ar/follow-up/reply', { message: '' })).statusCode).toBe(400);
    expect((await r.submit('/ar/follow-up/report', '/ar/follow-up/reply', { message: 'نعم، لدي وصل.' })).headers.location).toBe('/ar/follow-up/report');
    expect((await r.get('/ar/follow-up/report')).body).toContain('نعم، لدي وصل.');
    expect((await r.submit('/ar/follow-up/report', '/ar/follow-up/sign-out', {})).headers.location).toBe('/ar/follow-up?closed=1');
    expect((await r.get('/ar/follow-up/report')).headers.location).toBe('/ar/follow-up');
  });

  it('logs nothing that identifies the reporter', () => {
    const logs = t.logs.join('');
    expect(logs).not.toMatch(/remoteAddress|user-agent|127\.0\.0\.1/);
    expect(logs).not.toContain('500 dirhams');
  });
});

describe('reports taken by staff', () => {
  it('a case handler registers a report received by phone; the reporter follows it with the receipt', async () => {
    const { buildUser, identityContext } = await import('../helpers/identity.js');
    const { findOrganisationBySlug } = await import('../../src/modules/identity/directory.js');
    const inpplc = (await findOrganisationBySlug(t.database.db, 'inpplc'))!;
    const u = await buildUser(identityContext(t.database), { roles: ['case-handler'], organisationId: inpplc.id });
    const staff = new Browser(() => t.app);
    await staff.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
    const form = await staff.get('/fr/staff/reports/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('mediateur-complaint');
    const empty = await staff.submit('/fr/staff/reports/new', '/fr/staff/reports/new', { channel: 'inpplc-corruption', receivedBy: 'phone', what: '' });
    expect(empty.statusCode).toBe(400);
    const done = await staff.submit('/fr/staff/reports/new', '/fr/staff/reports/new', { channel: 'inpplc-corruption', receivedBy: 'phone', what: 'Appel : on lui demande 300 dirhams au guichet.' });
    expect(done.statusCode).toBe(200);
    const receipt = done.body.match(/id="receipt" dir="ltr" lang="en">([0-9A-Z-]+)</)![1]!;
    const reporter = new Browser(() => t.app);
    await reporter.submit('/fr/follow-up', '/fr/follow-up', { receipt });
    expect((await reporter.get('/fr/follow-up/report')).body).toContain('on lui demande 300 dirhams');
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'report.registered-by-staff').execute();
    expect(audit).toEqual([{ action: 'report.registered-by-staff', details: '{"received_by":"phone"}' }]);
  });
});
