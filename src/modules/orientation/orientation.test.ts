import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { statistics } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Follows the journey as a browser without JavaScript: answer, follow the redirect, read the page. */
async function answer(url: string, value: string): Promise<string> {
  const page = await t.app.inject(url);
  const v = page.body.match(/name="v" value="(\d+)"/)![1];
  const path = page.body.match(/name="path"(?: value="([^"]*)")?/)![1] ?? '';
  const lang = url.split('/')[1];
  const res = await t.app.inject(`/${lang}/orientation?v=${v}&path=${path}&answer=${value}`);
  expect(res.statusCode, `${url} -> ${value}`).toBe(303);
  return res.headers.location as string;
}

describe('orientation journey', () => {
  it('shows the first question itself, as a plain form with radio buttons and a heading', async () => {
    const res = await t.app.inject('/fr/orientation');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 class="legend-heading">De quoi s&#39;agit-il ?</h1>'.replace('&#39;', "'"));
    expect(res.body).toContain('<form method="get" action="/fr/orientation" novalidate>');
    expect(res.body).toContain('type="radio"');
    expect(res.body).toContain('Je ne sais pas');
    expect(res.body).toContain('Question 1 sur 4 au plus');
    expect(res.body).not.toContain('<script');
  });

  it('leads from corruption through court and region to the INPPLC, explaining why', async () => {
    let url = '/fr/orientation';
    for (const a of ['corruption', 'no', 'MA-06']) url = await answer(url, a);
    expect(url).toBe('/fr/orientation?v=1&path=corruption.no.MA-06');
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>Instance Nationale de la Probité, de la Prévention et de la Lutte contre la Corruption</strong>');
    expect(res.body).toContain("Il s'agit de corruption, que l'INPPLC traite dans les secteurs public et privé.");
    expect(res.body).toContain("L'affaire n'est pas devant un tribunal.");
    expect(res.body).toContain('href="/fr/report?institution=inpplc&amp;orientation=1-corruption.no.MA-06"');
    expect(res.body).toContain('Accusé de réception sous 7 jours');
  });

  it('says when none of these institutions is competent, and where to go instead, in Arabic', async () => {
    let url = '/ar/orientation';
    url = await answer(url, 'private');
    const res = await t.app.inject(url);
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    expect(res.body).toContain('لا يمكن لأي من هذه المؤسسات معالجته');
    expect(res.body).toContain('CAJAC');
  });

  it('asks again, with an error summary, when no answer is chosen', async () => {
    const res = await t.app.inject('/fr/orientation?v=1&path=corruption&answer=');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#answer">Choisissez une réponse, ou « Je ne sais pas »</a>');
    expect(res.body).toMatch(/<title>Erreur : /);
    const noChoice = await t.app.inject('/fr/orientation?v=1&path=corruption&go=1');
    expect(noChoice.statusCode).toBe(400);
  });

  it('starts over on a path that does not fit the rules', async () => {
    const res = await t.app.inject('/fr/orientation?v=1&path=corruption.maybe');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/orientation');
  });

  it('has a back link to the previous question', async () => {
    const res = await t.app.inject('/fr/orientation?v=1&path=corruption.no');
    expect(res.body).toContain('<a href="/fr/orientation?v=1&amp;path=corruption">Retour</a>');
    expect(res.body).toContain('Question 3 sur 3 au plus');
  });

  it('counts outcomes per rules version, anonymously, once per journey', async () => {
    await t.app.inject('/fr/orientation?v=1&path=administration&answer=no');
    await t.app.inject('/fr/orientation?v=1&path=administration.no'); // reading the result again counts nothing
    const stats = await statistics(t.database.db);
    const v1 = stats.find((s) => s.version === 1)!;
    expect(v1.outcomes.find((o) => o.outcome === 'out-chikaya')?.count).toBe(1);
    expect(v1.outcomes.find((o) => o.outcome === 'out-inpplc')?.count).toBe(1);
    expect(v1.notCompetent).toBe(1);
    expect(v1.total).toBe(3);
    const api = (await t.app.inject('/api/v1/orientation/statistics')).json();
    expect(api.data[0]).toMatchObject({ version: 1, total: 3, notCompetent: 1 });
    const rows = await t.database.db.selectFrom('orientation_counts').selectAll().execute();
    expect(Object.keys(rows[0]!).sort()).toEqual(['count', 'day', 'outcome', 'version_id']);
  });
});
