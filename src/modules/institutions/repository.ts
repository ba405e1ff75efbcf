import type { Kysely, Transaction } from 'kysely';
import type { DB, ProvinceTable, RegionTable } from '../../db/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

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
