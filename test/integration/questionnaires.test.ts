// The questionnaire builder and the form it drives, through the pages without JavaScript: an
// institution administrator makes a draft, is told what is wrong, previews and publishes a version
// with a conditional step; reporters then see that step or skip it, and a report made with the old
// version is still read with the old questions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrator } from '../../src/db/migrate.js';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import { listChannels, questionnaireVersion } from '../../src/modules/reports/channels.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createReadyDatabase } from '../helpers/db.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';

let t: TestApp;
let admin: Browser;
let corruption: number;
let complaint: number;

async function signIn(roles: ('institution-admin' | 'platform-admin' | 'case-handler')[], slug: string | null): Promise<Browser> {
  const organisationId = slug ? (await findOrganisationBySlug(t.database.db, slug))!.id : null;
  const u = await buildUser(identityContext(t.database), { roles, organisationId });
  const b = new Browser(() => t.app);
  expect((await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! })).statusCode).toBe(303);
  return b;
}

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_MAX: '100000' });
  const channels = await listChannels(t.database.db);
  corruption = channels.find((c) => c.slug === 'inpplc-corruption')!.id;
  complaint = channels.find((c) => c.slug === 'mediateur-complaint')!.id;
  admin = await signIn(['institution-admin'], 'inpplc');
});
afterAll(() => t.close());

const tx = (fr: string, en = `${fr} (en)`, ar = `${fr} (ar)`) => ({ ar, fr, en });
/** Version 2: "what" is relabelled, "proof" removed, and a step about an earlier letter appears when the reporter wrote first. */
const conditional = {
  steps: [
    {
      id: 'facts', title: tx('Les faits'),
      fields: [
        { id: 'what', type: 'long-text', required: true, label: tx('Racontez les faits') },
        { id: 'wrote', type: 'yesno', required: true, label: tx('Avez-vous déjà écrit à cette administration ?') },
        { id: 'how', type: 'multiple', label: tx('Comment ?'), options: [{ id: 'post', label: tx('Par courrier') }, { id: 'email', label: tx('Par e-mail') }, { id: 'office', label: tx('Au guichet') }], showIf: { field: 'wrote', equals: 'yes' } },
      ],
    },
    {
      id: 'letter', title: tx('Votre démarche'), showIf: { field: 'wrote', equals: 'yes' },
      fields: [
        { id: 'sent-on', type: 'date', required: true, label: tx('Quand avez-vous écrit ?') },
        { id: 'reference', type: 'short-text', required: true, label: tx('Numéro de dépôt'), showIf: { field: 'how', in: ['post', 'office'] } },
        { id: 'copy', type: 'upload', label: tx('Copie de la lettre') },
      ],
    },
    { id: 'place', title: tx('Le lieu'), fields: [{ id: 'region', type: 'region', label: tx('Région') }, { id: 'kind', type: 'single', label: tx('Type d\'administration'), options: [{ id: 'commune', label: tx('Commune') }, { id: 'ministry', label: tx('Ministère') }] }] },
  ],
};
const base = () => `/fr/staff/questionnaires/${corruption}`;
const save = (b: Browser, questionnaire: unknown, note = '') => b.submit(base(), `${base()}/draft`, { questionnaire: typeof questionnaire === 'string' ? questionnaire : JSON.stringify(questionnaire), note });
const receiptOf = (body: string) => body.match(/id="receipt" dir="ltr" lang="en">([0-9A-Z-]+)</)![1]!;

async function followUp(receipt: string): Promise<string> {
  const r = new Browser(() => t.app);
  expect((await r.submit('/fr/follow-up', '/fr/follow-up', { receipt })).headers.location).toBe('/fr/follow-up/report');
  return (await r.get('/fr/follow-up/report')).body;
}

/** A report on version 1, sent before version 2 is published, and one left half-way through. */
let oldReceipt: string;
const halfWay = new Browser(() => t.app);

describe('the builder', () => {
  it('lists the channels of the administrator\'s institution only, and keeps other institutions\' channels out of reach', async () => {
    const list = await admin.get('/fr/staff/questionnaires');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Signaler une corruption');
    expect(list.body).toContain('Agent public : signaler une atteinte à la probité');
    expect(list.body).not.toContain("Se plaindre d'une administration");
    expect(list.body).toContain('En service : version 1');
    expect((await admin.get(`/fr/staff/questionnaires/${complaint}`)).statusCode).toBe(403);
    const platform = await signIn(['platform-admin'], null);
    expect((await platform.get('/fr/staff/questionnaires')).body).toContain("Se plaindre d'une administration");
    const handler = await signIn(['case-handler'], 'inpplc');
    expect((await handler.get('/fr/staff/questionnaires')).statusCode).toBe(403);
  });

  it('a report sent now is made with version 1; another is left half-way', async () => {
    const r = new Browser(() => t.app);
    await r.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Version une : pot-de-vin au guichet.' });
    await r.submit('/fr/report/step/place', '/fr/report/step/place', { region: 'MA-06', administration: '', who: '', proof: 'Un reçu manuscrit' });
    await r.submit('/fr/report/identity', '/fr/report/identity', { mode: 'anonymous' });
    await r.submit('/fr/report/notices', '/fr/report/notices', { mode: 'none' });
    oldReceipt = receiptOf((await r.submit('/fr/report/review', '/fr/report/submit', { confirm: 'yes' })).body);
    await halfWay.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
  });

  it('makes a draft from version 1 and shows it as JSON with a summary', async () => {
    const res = await admin.submit(base(), `${base()}/drafts`, { from: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${base()}?created#draft`);
    const page = await admin.get(`${base()}?created`);
    expect(page.body).toContain('Brouillon créé');
    expect(page.body).toContain('&quot;id&quot;: &quot;facts&quot;');
    expect(page.body).toContain('Rien : ce brouillon peut être publié.');
    expect(page.body).toContain('Décrivez ce qui s&#39;est passé, avec vos mots'.replace('&#39;', "'"));
  });

  it('refuses to save text that is not a questionnaire, saying why, and keeps what was typed', async () => {
    const bad = await save(admin, '{ "steps": [');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#questionnaire">Ce n&#39;est pas du JSON valide'.replace('&#39;', "'"));
    expect(bad.body).toContain('{ &quot;steps&quot;: [');
    const shape = await save(admin, { steps: [{ id: 'a', title: tx('A'), fields: [{ id: 'b', type: 'colour', label: tx('B') }] }] });
    expect(shape.statusCode).toBe(400);
    expect(shape.body).toContain("n'ont pas la forme attendue : steps.0.fields.0.type");
  });

  it('refuses to publish, naming each problem, and changes nothing', async () => {
    const broken = structuredClone(conditional) as { steps: { id: string; title: Record<string, string>; showIf?: unknown; fields: Record<string, unknown>[] }[] };
    broken.steps[0]!.fields[0]!.showIf = { field: 'wrote', equals: 'yes' };
    broken.steps[1]!.showIf = { field: 'wrote-before', equals: 'yes' };
    broken.steps[2]!.fields[1]!.options = [];
    broken.steps[2]!.title = { ar: 'المكان', fr: 'Le lieu', en: '' };
    broken.steps.push({ id: 'more', title: tx('Plus'), fields: [] }, { id: 'place', title: tx('Encore'), fields: [{ id: 'what', type: 'short-text', label: tx('Quoi') }] });
    expect((await save(admin, broken)).statusCode).toBe(303);
    const res = await admin.submit(base(), `${base()}/publish`, {});
    expect(res.statusCode).toBe(400);
    for (const message of [
      'La condition de « what » porte sur « wrote », qui n&#39;est pas demandé avant',
      'La condition de « letter » porte sur « wrote-before », qui n&#39;existe pas',
      'Le champ à choix « kind » n&#39;a aucune option',
      '« place » : title.en manque',
      'L&#39;étape « more » n&#39;a aucun champ',
      'L&#39;identifiant « place » est utilisé plusieurs fois',
      'L&#39;identifiant « what » est utilisé plusieurs fois',
    ]) expect(res.body).toContain(`<a href="#questionnaire">${message.replaceAll('&#39;', "'")}</a>`);
    expect((await listChannels(t.database.db)).find((c) => c.id === corruption)!.questionnaire.version).toBe(1);
    expect(await questionnaireVersion(t.database.db, corruption, 2)).toBeUndefined();
  });

  it('previews the real step pages of the draft, read-only, with conditions spelled out', async () => {
    expect((await save(admin, conditional, 'Démarche préalable')).statusCode).toBe(303);
    const facts = await admin.get(`${base()}/preview/facts`);
    expect(facts.statusCode).toBe(200);
    expect(facts.body).toContain('Étape 2 sur 7');
    expect(facts.body).toContain('type="checkbox" id="how" name="how" value="post"');
    expect(facts.body).toContain('Répondez seulement si votre réponse à « Avez-vous déjà écrit à cette administration ? » est : Oui.');
    expect(facts.body).not.toContain('method="post"');
    expect(facts.body).not.toContain('type="submit"');
    const letter = await admin.get(`${base()}/preview/letter`);
    expect(letter.body).toContain("Cette page n'est affichée que si la réponse à « Avez-vous déjà écrit à cette administration ? » est : Oui.");
    expect(letter.body).toContain('Affiché seulement si la réponse à « Comment ? » est : Par courrier / Au guichet.');
    expect(letter.body).toMatch(/<input type="file" id="copy" name="copy" class="input" disabled/);
    expect(letter.body).toContain(`href="${base()}/preview/facts"`);
    expect(letter.body).toContain(`href="${base()}/preview/place"`);
    expect((await admin.get(`${base()}/preview/place?version=1`)).body).toContain('Quelles preuves existent');
    expect((await admin.get(`${base()}/preview/nowhere`)).statusCode).toBe(404);
  });

  it('publishes version 2, keeping version 1; the audit log records it', async () => {
    const res = await admin.submit(base(), `${base()}/publish`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${base()}?published=2`);
    const page = await admin.get(`${base()}?published=2`);
    expect(page.body).toContain('Version 2 publiée');
    expect(page.body).toContain("Il n'y a pas de brouillon.");
    const channel = (await listChannels(t.database.db)).find((c) => c.id === corruption)!;
    expect(channel.questionnaire.version).toBe(2);
    expect((await questionnaireVersion(t.database.db, corruption, 1))!.steps[1]!.fields.map((f) => f.id)).toContain('proof');
    expect((await questionnaireVersion(t.database.db, corruption, 2))!.steps.map((s) => s.id)).toEqual(['facts', 'letter', 'place']);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'like', 'questionnaire.%').orderBy('seq').execute();
    expect(audit).toEqual([{ action: 'questionnaire.draft-created', details: '{"from":1}' }, { action: 'questionnaire.published', details: '{"version":2}' }]);
    expect((await admin.submit(base(), `${base()}/publish`, {})).statusCode).toBe(409);
  });

  it('a report made with version 1 is still read with the questions of version 1', async () => {
    const page = await followUp(oldReceipt);
    expect(page).toContain("Décrivez ce qui s'est passé, avec vos mots");
    expect(page).toContain('Version une : pot-de-vin au guichet.');
    expect(page).toContain('Quelles preuves existent (documents, témoins) ?');
    expect(page).toContain('Un reçu manuscrit');
    expect(page).not.toContain('Racontez les faits');
  });

  it('a reporter who started before the publication finishes with the questions of version 1', async () => {
    const facts = await halfWay.get('/fr/report/step/facts');
    expect(facts.body).toContain("Décrivez ce qui s'est passé, avec vos mots");
    expect(facts.body).not.toContain('Avez-vous déjà écrit');
  });
});

describe('the form with conditions', () => {
  it('skips the conditional step when the answer is no, counting it out of the progress, and stores no hidden answer', async () => {
    const r = new Browser(() => t.app);
    await r.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    const facts = await r.get('/fr/report/step/facts');
    expect(facts.body).toContain('Étape 2 sur 6');
    expect(facts.body).toContain('type="radio" id="wrote" name="wrote" value="yes"');
    const res = await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Refus de guichet.', wrote: 'no', how: ['post'] });
    expect(res.headers.location).toBe('/fr/report/step/place');
    expect((await r.get('/fr/report/step/letter')).headers.location).toBe('/fr/report/step/place');
    const place = await r.get('/fr/report/step/place');
    expect(place.body).toContain('Étape 3 sur 6');
    expect(place.body).toContain('href="/fr/report/step/facts"');
    await r.submit('/fr/report/step/place', '/fr/report/step/place', { region: 'MA-01', kind: 'commune' });
    await r.submit('/fr/report/identity', '/fr/report/identity', { mode: 'anonymous' });
    await r.submit('/fr/report/notices', '/fr/report/notices', { mode: 'none' });
    const review = await r.get('/fr/report/review');
    expect(review.body).toContain('Étape 6 sur 6');
    expect(review.body).not.toContain('Par courrier');
    expect(review.body).toContain('Commune');
    const page = await followUp(receiptOf((await r.submit('/fr/report/review', '/fr/report/submit', { confirm: 'yes' })).body));
    expect(page).toContain('Racontez les faits');
    expect(page).toContain('Non');
    expect(page).not.toContain('Comment ?');
  });

  it('shows the conditional step when the answer is yes; a hidden-by-default field is then required', async () => {
    const r = new Browser(() => t.app);
    await r.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    const noAnswer = await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Lettre restée sans réponse.', how: ['post', 'nowhere'] });
    expect(noAnswer.statusCode).toBe(400);
    expect(noAnswer.body).toContain('<a href="#wrote">Répondez à cette question</a>');
    // Unasked, "how" was not checked; asked, its values must be options.
    expect(noAnswer.body).not.toContain('href="#how"');
    const unknown = await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Lettre restée sans réponse.', wrote: 'yes', how: ['post', 'nowhere'] });
    expect(unknown.body).toContain('<a href="#how">Choisissez l\'une des options</a>');
    const res = await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Lettre restée sans réponse.', wrote: 'yes', how: ['office', 'post'] });
    expect(res.headers.location).toBe('/fr/report/step/letter');
    const letter = await r.get('/fr/report/step/letter');
    expect(letter.body).toContain('Étape 3 sur 7');
    expect(letter.body).toContain('Numéro de dépôt');
    expect(letter.body).toContain("L'envoi de fichiers n'est pas encore possible");
    const missing = await r.submit('/fr/report/step/letter', '/fr/report/step/letter', { 'sent-on': '2026-09-01', reference: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('<a href="#reference">Répondez à cette question</a>');
    expect((await r.submit('/fr/report/step/letter', '/fr/report/step/letter', { 'sent-on': '2026-09-01', reference: 'BO-2026-114' })).headers.location).toBe('/fr/report/step/place');
    expect((await r.get('/fr/report/step/place')).body).toContain('Étape 4 sur 7');
    await r.submit('/fr/report/step/place', '/fr/report/step/place', { region: 'MA-06' });
    await r.submit('/fr/report/identity', '/fr/report/identity', { mode: 'anonymous' });
    await r.submit('/fr/report/notices', '/fr/report/notices', { mode: 'none' });
    const review = await r.get('/fr/report/review');
    expect(review.body).toContain('Par courrier\nAu guichet');
    expect(review.body).toContain('BO-2026-114');
    const page = await followUp(receiptOf((await r.submit('/fr/report/review', '/fr/report/submit', { confirm: 'yes' })).body));
    expect(page).toContain('Quand avez-vous écrit ?');
    expect(page).toContain('BO-2026-114');
  });

  it('changing the answer back to no erases the step\'s answers; back to yes asks the step again', async () => {
    const r = new Browser(() => t.app);
    await r.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
    await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Dossier perdu.', wrote: 'yes', how: ['email'] });
    await r.submit('/fr/report/step/letter', '/fr/report/step/letter', { 'sent-on': '2026-08-01' });
    await r.submit('/fr/report/step/place', '/fr/report/step/place', { region: 'MA-06' });
    await r.submit('/fr/report/identity', '/fr/report/identity', { mode: 'anonymous' });
    await r.submit('/fr/report/notices', '/fr/report/notices', { mode: 'none' });
    expect((await r.get('/fr/report/review')).body).toContain('2026-08-01');
    expect((await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Dossier perdu.', wrote: 'no' })).headers.location).toBe('/fr/report/step/place');
    expect((await r.get('/fr/report/review')).body).not.toContain('2026-08-01');
    await r.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Dossier perdu.', wrote: 'yes', how: ['post'] });
    // The letter step comes back empty and must be answered again before the review.
    expect((await r.get('/fr/report/review')).headers.location).toBe('/fr/report/step/letter');
  });
});

describe('the migration', () => {
  it('copies the questionnaire of every channel that exists as its version 1', async () => {
    const { test, database } = await createReadyDatabase();
    try {
      // Back to the schema before versions, with the channels an existing portal has; then forward.
      const back = await migrator(database.db).migrateTo('20261127T0200_cases');
      expect(back.error).toBeUndefined();
      await migrateToLatest(database.db);
      const rows = await database.db.selectFrom('questionnaire_versions').innerJoin('channels', 'channels.id', 'questionnaire_versions.channel_id')
        .select(['channels.slug', 'questionnaire_versions.version', 'questionnaire_versions.status', 'questionnaire_versions.questionnaire']).orderBy('channels.id').execute();
      expect(rows.map((r) => [r.slug, Number(r.version), r.status])).toEqual([
        ['inpplc-corruption', 1, 'published'], ['inpplc-public-official', 1, 'published'], ['mediateur-complaint', 1, 'published'],
      ]);
      expect(JSON.parse(rows[0]!.questionnaire).steps.map((s: { id: string }) => s.id)).toEqual(['facts', 'place']);
    } finally {
      await test.cleanup();
    }
  });
});
