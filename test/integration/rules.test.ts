// Publishers change the orientation rules through drafts; a version is published only when sound,
// and what citizens already answered stays tied to the version that produced it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statistics } from '../../src/modules/orientation/service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { buildUser, identityContext } from '../helpers/identity.js';

let t: TestApp;
let b: Browser;
beforeAll(async () => {
  t = await createTestApp();
  const u = await buildUser(identityContext(t.database), { roles: ['publisher'] });
  b = new Browser(() => t.app);
  const res = await b.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  expect(res.statusCode).toBe(303);
});
afterAll(() => t.close());

const graphOf = (body: string) => JSON.parse(body.match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>'));

describe('orientation rules in the back office', () => {
  it('a citizen walks version 1 before any change', async () => {
    expect((await t.app.inject('/fr/orientation?v=1&path=corruption&answer=')).statusCode).toBe(400);
    expect((await t.app.inject('/fr/orientation?path=&answer=rights&v=1')).headers.location).toBe('/fr/orientation?v=1&path=rights');
  });

  it('lists the versions and makes a draft from the published one', async () => {
    const list = await b.get('/fr/staff/orientation');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Version 1 — Publiée');
    const res = await b.submit('/fr/staff/orientation', '/fr/staff/orientation/drafts', { from: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/orientation/2');
  });

  it('refuses to save text that is not a graph, saying why', async () => {
    const bad = await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2', { graph: '{ "start": ', note: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Ce n&#39;est pas du JSON valide".replace('&#39;', "'"));
    const shape = await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2', { graph: '{"start":"a","nodes":{"a":{"kind":"question"}}}', note: 'x' });
    expect(shape.statusCode).toBe(400);
    expect(shape.body).toContain("n'ont pas la forme attendue");
  });

  it('refuses to publish a graph with problems, naming each, and changes nothing', async () => {
    const page = await b.get('/fr/staff/orientation/2');
    const graph = graphOf(page.body);
    graph.nodes['orphan'] = { kind: 'outcome', institutions: ['cnil'], explanation: { ar: 'x', fr: 'x', en: 'x', zgh: 'x' }, prepare: [] };
    expect((await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2', { graph: JSON.stringify(graph), note: 'essai' })).statusCode).toBe(303);
    const res = await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2/publish', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('orphan est inatteignable depuis le départ');
    expect(res.body).toContain("L'issue orphan désigne cnil, absente de l'annuaire");
    expect((await t.app.inject('/fr/orientation')).body).toContain('name="v" value="1"');
  });

  it('publishes a sound draft; new journeys follow it, earlier answers stay with version 1', async () => {
    const before = (await statistics(t.database.db)).find((s) => s.version === 1)!;
    const page = await b.get('/fr/staff/orientation/2');
    const graph = graphOf(page.body);
    delete graph.nodes['orphan'];
    graph.nodes['start'].text.fr = 'Quel est votre problème ?';
    expect((await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2', { graph: JSON.stringify(graph), note: 'Question de départ plus simple' })).statusCode).toBe(303);
    const res = await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/2/publish', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/orientation/2?published');
    const start = await t.app.inject('/fr/orientation');
    expect(start.body).toContain('name="v" value="2"');
    expect(start.body).toContain('Quel est votre problème ?');
    // A journey begun on version 1 continues on version 1, and its count goes there.
    const old = await t.app.inject('/fr/orientation?v=1&path=rights');
    expect(old.body).toContain('Conseil National des Droits de l');
    await t.app.inject('/fr/orientation?v=2&path=&answer=rights');
    const after = await statistics(t.database.db);
    expect(after.find((s) => s.version === 1)).toEqual(before);
    expect(after.find((s) => s.version === 2)?.total).toBe(1);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'orientation.%').execute();
    expect(audit.map((a) => a.action)).toEqual(['orientation.draft-created', 'orientation.published']);
  });

  it('a published version can no longer be edited', async () => {
    const res = await b.submit('/fr/staff/orientation/2', '/fr/staff/orientation/1', { graph: '{"start":"x","nodes":{}}', note: '' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain("Cette modification entre en conflit avec l'état actuel");
  });
});
