import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../../test/helpers/db.js';
import { locales } from '../../web/i18n.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { parseCsv } from '../../../test/helpers/csv.js';
import { addOffice, competentOffice } from './directory.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const slugs = ['inpplc', 'mediateur', 'cndh', 'cndp', 'cdai', 'chikaya', 'parquet'];


describe('institutions directory', () => {
  it('is loaded on first start with the seven institutions and their sources', async () => {
    const { data, licence } = (await t.app.inject('/api/v1/institutions')).json();
    expect(data.map((i: { slug: string }) => i.slug)).toEqual(slugs);
    expect(licence).toContain('Licence Ouverte');
    const inpplc = data[0];
    expect(inpplc.name.fr).toBe('Instance Nationale de la Probité, de la Prévention et de la Lutte contre la Corruption');
    expect(inpplc.receivesReports).toBe(true);
    expect(inpplc.handles.source).toContain('institutions.md');
    expect(inpplc).not.toHaveProperty('organisationId');
    for (const i of data) for (const l of locales) expect(i.name[l], `${i.slug} ${l}`).toBeTruthy();
    expect(data.filter((i: { receivesReports: boolean }) => i.receivesReports).map((i: { slug: string }) => i.slug)).toEqual(['inpplc', 'mediateur']);
  });

  it.each(locales)('lists every institution by its full name in %s', async (locale) => {
    const res = await t.app.inject(`/${locale}/institutions`);
    expect(res.statusCode).toBe(200);
    const { data } = (await t.app.inject('/api/v1/institutions')).json();
    for (const i of data) expect(res.body).toContain(`<a href="/${locale}/institutions/${i.slug}">${i.name[locale]}</a>`);
  });

  it('shows an institution with what it handles, its conditions, channels, deadlines and sources', async () => {
    const res = await t.app.inject('/fr/institutions/mediateur');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Institution du Médiateur du Royaume');
    expect(res.body).toContain("Vous avez d'abord contacté l'administration concernée, sans résultat.");
    expect(res.body).toContain('30 jours pour agir, prolongeables une fois');
    expect(res.body).toContain('Source : mediateur.ma FAQ');
    expect(res.body).toContain('href="/fr/report?institution=mediateur"');
    expect((await t.app.inject('/fr/institutions/nowhere')).statusCode).toBe(404);
    expect((await t.app.inject('/api/v1/institutions/nowhere')).statusCode).toBe(404);
  });

  it('the CSV export holds exactly what the JSON holds, in every language', async () => {
    const { data } = (await t.app.inject('/api/v1/institutions')).json();
    const res = await t.app.inject('/api/v1/institutions.csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual(['slug', 'language', 'name', 'acronym', 'mandate', 'handles', 'does_not_handle', 'preconditions', 'deadlines', 'channels', 'website', 'receives_reports_here', 'sources']);
    expect(rows).toHaveLength(data.length * 4);
    for (const row of rows) {
      const i = data.find((x: { slug: string }) => x.slug === row[0]);
      const l = row[1] as (typeof locales)[number];
      expect(row[2]).toBe(i.name[l]);
      expect(row[5]).toBe(i.handles.text[l]);
      expect(row[7]).toBe((i.preconditions ?? []).map((f: { text: Record<string, string> }) => f.text[l]).join(' | '));
      expect(row[11]).toBe(i.receivesReports ? 'yes' : 'no');
    }
  });

  it('finds the regional office competent for a region or a province, or says the headquarters handle it', async () => {
    await addOffice(t.database.db, {
      slug: 'mediateur-nord', institution: 'mediateur',
      profile: { name: { ar: 'المندوبية الجهوية للشمال', fr: 'Délégation régionale du Nord', en: 'Northern regional delegation', zgh: 'ⴰⵎⵙⵙⵓⵔ ⴰⵏⴰⵡⵊⵉ ⵏ ⵓⴳⴰⴼⴰ' } },
      regions: ['MA-01'],
    });
    await addOffice(t.database.db, {
      slug: 'mediateur-oujda', institution: 'mediateur', supervisor: 'mediateur-nord',
      profile: { name: { ar: 'نقطة اتصال وجدة', fr: 'Point de contact d\'Oujda', en: 'Oujda contact point', zgh: 'ⴰⵏⵇⵇⵉⴹ ⵏ ⵓⵎⵢⴰⵡⴰⴹ ⵏ ⵡⵊⴷⴰ' } },
      provinces: ['oujda-angad'],
    });
    expect((await competentOffice(t.database.db, 'mediateur', { regionCode: 'MA-01' }))?.slug).toBe('mediateur-nord');
    expect(await competentOffice(t.database.db, 'mediateur', { provinceCode: 'oujda-angad' })).toMatchObject({ slug: 'mediateur-oujda', supervisor: 'mediateur-nord' });
    expect(await competentOffice(t.database.db, 'mediateur', { regionCode: 'MA-12' })).toBeUndefined();
    const found = await t.app.inject('/fr/institutions/mediateur?region=MA-01');
    expect(found.body).toContain('Pour cette région : Délégation régionale du Nord');
    const none = await t.app.inject('/fr/institutions/mediateur?region=MA-12');
    expect(none.body).toContain('Aucune antenne ne couvre cette région');
  });

  it('operators add offices with the nazaha command, and bad input changes nothing', async () => {
    const run = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'office', 'add', ...args], {
      env: { PATH: process.env.PATH!, DATA_DIR: t.test.dataDir, ...(usingPostgres() ? { DATABASE_URL: t.test.url } : {}) },
    });
    const ok = await run('--slug', 'inpplc-oriental', '--institution', 'inpplc', '--name-ar', 'مندوبية الشرق', '--name-fr', "Antenne de l'Oriental", '--name-en', 'Oriental office', '--regions', 'MA-02', '--phone', '0536 00 00 00');
    expect(ok.stdout).toContain('Added office inpplc-oriental of inpplc, covering MA-02.');
    await expect(run('--slug', 'inpplc-x', '--institution', 'inpplc', '--name-ar', 'x', '--name-fr', 'x', '--name-en', 'x', '--provinces', 'atlantis')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown province atlantis') });
    const page = await t.app.inject('/fr/institutions/inpplc?region=MA-02');
    expect(page.body).toContain("Pour cette région : Antenne de l'Oriental");
    expect(page.body).toContain('0536 00 00 00');
  });
});
