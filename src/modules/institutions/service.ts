import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { DB, ProvinceTable, RegionTable } from '../../db/schema.js';
import { projectPath } from '../../paths.js';
import { toCsv } from '../../web/csv.js';
import * as repo from './repository.js';
import type { Region } from './schemas.js';

interface RegionFile {
  sources: { what: string; source: string; licence: string }[];
  regions: {
    code: string; hcpCode: string; population2024: number;
    name: { ar: string; fr: string; en: string; zgh: string | null };
    provinces: { code: string; type: 'province' | 'prefecture'; name: { ar: string; fr: string; en: string; zgh: string | null } }[];
  }[];
}

const readFile = (): RegionFile => JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'regions.json'), 'utf8')) as RegionFile;

export const regionSources = (): string[] => readFile().sources.map((s) => `${s.what}: ${s.source} (${s.licence})`);

/** Loads the regions and provinces shipped in data/reference (idempotent: upserts by code). */
export async function seedRegions(trx: Kysely<DB>): Promise<{ summary: { regions: number; provinces: number } }> {
  const file = readFile();
  let provinces = 0;
  for (const r of file.regions) {
    await repo.upsertRegion(trx, {
      code: r.code, hcp_code: r.hcpCode, population_2024: r.population2024,
      name_ar: r.name.ar, name_fr: r.name.fr, name_en: r.name.en, name_zgh: r.name.zgh,
    });
    for (const p of r.provinces) {
      await repo.upsertProvince(trx, {
        code: p.code, region_code: r.code, type: p.type,
        name_ar: p.name.ar, name_fr: p.name.fr, name_en: p.name.en, name_zgh: p.name.zgh,
      });
      provinces++;
    }
  }
  regionCache = new WeakMap();
  return { summary: { regions: file.regions.length, provinces } };
}

const present = (r: RegionTable, provinces: ProvinceTable[]): Region => ({
  code: r.code,
  hcpCode: r.hcp_code,
  name: { ar: r.name_ar, fr: r.name_fr, en: r.name_en, zgh: r.name_zgh },
  population2024: r.population_2024 === null ? null : Number(r.population_2024),
  provinces: provinces
    .filter((p) => p.region_code === r.code)
    .map((p) => ({ code: p.code, type: p.type, name: { ar: p.name_ar, fr: p.name_fr, en: p.name_en, zgh: p.name_zgh } })),
});

// Regions and provinces are reference data written only by seedRegions (at start, from the shipped
// file): read once per process and database, not on every form page that lists them. Callers share
// the result and must not change it.
let regionCache = new WeakMap<Kysely<DB>, Promise<Region[]>>();

export function listRegions(db: Kysely<DB>): Promise<Region[]> {
  let regions = regionCache.get(db);
  if (!regions) {
    const cache = regionCache;
    regions = Promise.all([repo.listRegions(db), repo.listProvinces(db)]).then(([rows, provinces]) => rows.map((r) => present(r, provinces)));
    cache.set(db, regions);
    // A failed read is not kept: the next call reads again.
    regions.catch(() => cache.delete(db));
  }
  return regions;
}

export async function getRegion(db: Kysely<DB>, code: string): Promise<Region | undefined> {
  const r = await repo.findRegion(db, code);
  return r ? present(r, await repo.listProvinces(db, code)) : undefined;
}

/** One row per province, with its region: the flat form spreadsheet users expect. */
export function regionsCsv(regions: Region[]): string {
  const header = ['region_code', 'region_hcp_code', 'region_name_ar', 'region_name_fr', 'region_name_en', 'province_code', 'province_type', 'province_name_ar', 'province_name_fr', 'province_name_en'];
  return toCsv(header, regions.flatMap((r) => r.provinces.map((p) => [r.code, r.hcpCode, r.name.ar, r.name.fr, r.name.en, p.code, p.type, p.name.ar, p.name.fr, p.name.en])));
}
