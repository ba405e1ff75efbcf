import type { Kysely, Selectable } from 'kysely';
import type { DB, InstitutionTable, OfficeTable, ProvinceTable, RegionTable } from '../../db/schema.js';

type Db = Kysely<DB>;

export async function upsertRegion(db: Db, row: RegionTable): Promise<void> {
  const { code, ...rest } = row;
  await db.insertInto('regions').values(row).onConflict((oc) => oc.column('code').doUpdateSet(rest)).execute();
}

export async function upsertProvince(db: Db, row: ProvinceTable): Promise<void> {
  const { code, ...rest } = row;
  await db.insertInto('provinces').values(row).onConflict((oc) => oc.column('code').doUpdateSet(rest)).execute();
}

export async function listRegions(db: Db): Promise<RegionTable[]> {
  return db.selectFrom('regions').selectAll().orderBy('code').execute();
}

export async function findRegion(db: Db, code: string): Promise<RegionTable | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listProvinces(db: Db, regionCode?: string): Promise<ProvinceTable[]> {
  let q = db.selectFrom('provinces').selectAll();
  if (regionCode) q = q.where('region_code', '=', regionCode);
  return q.orderBy('region_code').orderBy('code').execute();
}

// Directory

export type InstitutionRow = Selectable<InstitutionTable>;
export type OfficeRow = Selectable<OfficeTable>;

export async function findInstitution(db: Db, slug: string): Promise<InstitutionRow | undefined> {
  const row = await db.selectFrom('institutions').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? { ...row, id: Number(row.id), organisation_id: row.organisation_id === null ? null : Number(row.organisation_id) } : undefined;
}

export async function listInstitutions(db: Db): Promise<InstitutionRow[]> {
  const rows = await db.selectFrom('institutions').selectAll().orderBy('sort_order').orderBy('slug').execute();
  return rows.map((row) => ({ ...row, id: Number(row.id), organisation_id: row.organisation_id === null ? null : Number(row.organisation_id) }));
}

export async function insertInstitution(db: Db, row: Omit<InstitutionTable, 'id'>): Promise<number> {
  const r = await db.insertInto('institutions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateInstitution(db: Db, slug: string, changes: Partial<Omit<InstitutionTable, 'id' | 'slug'>>): Promise<void> {
  await db.updateTable('institutions').set(changes).where('slug', '=', slug).execute();
}

export async function listOffices(db: Db, institutionId?: number): Promise<OfficeRow[]> {
  let q = db.selectFrom('offices').selectAll();
  if (institutionId !== undefined) q = q.where('institution_id', '=', institutionId);
  const rows = await q.orderBy('slug').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), institution_id: Number(r.institution_id), supervisor_office_id: r.supervisor_office_id === null ? null : Number(r.supervisor_office_id), organisation_id: r.organisation_id === null ? null : Number(r.organisation_id) }));
}

export async function insertOffice(db: Db, row: Omit<OfficeTable, 'id'>, coverage: { region_code: string | null; province_code: string | null }[]): Promise<number> {
  const r = await db.insertInto('offices').values(row).returning('id').executeTakeFirstOrThrow();
  const id = Number(r.id);
  if (coverage.length) await db.insertInto('office_coverage').values(coverage.map((c) => ({ office_id: id, ...c }))).execute();
  return id;
}

/** Offices of an institution covering a province, directly or through its region. */
export async function officesCovering(db: Db, institutionId: number, where: { regionCode: string; provinceCode?: string | undefined }): Promise<number[]> {
  const rows = await db
    .selectFrom('office_coverage as c')
    .innerJoin('offices as o', 'o.id', 'c.office_id')
    .select(['o.id', 'c.province_code'])
    .where('o.institution_id', '=', institutionId)
    .where((eb) => eb.or([
      eb('c.region_code', '=', where.regionCode),
      ...(where.provinceCode ? [eb('c.province_code', '=', where.provinceCode)] : []),
    ]))
    .execute();
  // A province-level match is more precise than a region-level one.
  return rows.sort((a, b) => (a.province_code ? 0 : 1) - (b.province_code ? 0 : 1)).map((r) => Number(r.id));
}

export async function findProvince(db: Db, code: string): Promise<ProvinceTable | undefined> {
  return db.selectFrom('provinces').selectAll().where('code', '=', code).executeTakeFirst();
}
