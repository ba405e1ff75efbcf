import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../db/seed.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { parseCsv } from '../../../test/helpers/csv.js';
import { listRegions } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());


describe('reference regions', () => {
  it('are loaded on first start: 12 regions keyed by HCP code, 75 provinces', async () => {
    const res = await t.app.inject('/api/v1/regions');
    expect(res.statusCode).toBe(200);
    const { data, licence, sources } = res.json();
    expect(data.map((r: { code: string }) => r.code)).toEqual(Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`));
    expect(data[0].name).toMatchObject({ fr: 'Tanger-Tétouan-Al Hoceima', ar: 'طنجة-تطوان-الحسيمة' });
    expect(data[11].name.fr).toBe('Dakhla-Oued Ed-Dahab');
    expect(data[5]).toMatchObject({ code: 'MA-06', hcpCode: '06', population2024: 7688967 });
    expect(data.reduce((n: number, r: { provinces: unknown[] }) => n + r.provinces.length, 0)).toBe(75);
    expect(licence).toContain('CC BY 4.0');
    expect(sources.length).toBeGreaterThanOrEqual(2);
  });

  it('one region by code, or a 404 problem', async () => {
    const res = await t.app.inject('/api/v1/regions/MA-08');
    expect(res.json().provinces.map((p: { code: string }) => p.code)).toEqual(['errachidia', 'midelt', 'ouarzazate', 'tinghir', 'zagora']);
    expect((await t.app.inject('/api/v1/regions/MA-13')).statusCode).toBe(404);
    expect((await t.app.inject('/api/v1/regions/casablanca')).statusCode).toBe(400);
  });

  it('the CSV export holds exactly what the JSON holds', async () => {
    const json = (await t.app.inject('/api/v1/regions')).json().data;
    const res = await t.app.inject('/api/v1/regions.csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="regions.csv"');
    const [header, ...rows] = parseCsv(res.body);
    expect(header![0]).toBe('region_code');
    const fromJson = json.flatMap((r: any) => r.provinces.map((p: any) => [r.code, r.hcpCode, r.name.ar, r.name.fr, r.name.en, p.code, p.type, p.name.ar, p.name.fr, p.name.en]));
    expect(rows).toEqual(fromJson);
  });

  it('loading again changes nothing and duplicates nothing', async () => {
    const count = async () => (await t.database.db.selectFrom('provinces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(await runSeeds(t.database)).toEqual([]);
    const forced = await runSeeds(t.database, { force: true });
    expect(forced[0]).toEqual({ name: 'reference.regions@2026-11-26', summary: { regions: 12, provinces: 75 } });
    expect(forced[1]).toMatchObject({ name: 'reference.institutions@2026-11-26', summary: { institutions: 0 }, recoveryKeys: [] });
    expect(Number(await count())).toBe(75);
  });

  it('are read once per process, and again after seeding changes them', async () => {
    const { db } = t.database;
    const first = await listRegions(db);
    expect(await listRegions(db)).toBe(first);
    // A change outside seeding (none is expected: regions are shipped reference data) is not seen…
    await db.updateTable('regions').set({ name_fr: 'Tanger (modifié)' }).where('code', '=', 'MA-01').execute();
    expect((await listRegions(db))[0]!.name.fr).toBe('Tanger-Tétouan-Al Hoceima');
    // …until the reference data is loaded again, which reads the shipped file and refreshes the cache.
    await runSeeds(t.database, { force: true });
    const again = await listRegions(db);
    expect(again).not.toBe(first);
    expect(again[0]!.name.fr).toBe('Tanger-Tétouan-Al Hoceima');
  });
});
