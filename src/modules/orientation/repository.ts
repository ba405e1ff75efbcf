import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DB, OrientationVersionTable } from '../../db/schema.js';

export type VersionRow = Selectable<OrientationVersionTable>;
const norm = (r: VersionRow): VersionRow => ({ ...r, id: Number(r.id) });

export async function insertVersion(db: Kysely<DB>, row: Omit<OrientationVersionTable, 'id'>): Promise<number> {
  const r = await db.insertInto('orientation_versions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findVersion(db: Kysely<DB>, id: number): Promise<VersionRow | undefined> {
  const r = await db.selectFrom('orientation_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? norm(r) : undefined;
}

export async function publishedVersion(db: Kysely<DB>): Promise<VersionRow | undefined> {
  const r = await db.selectFrom('orientation_versions').selectAll().where('status', '=', 'published').orderBy('id', 'desc').executeTakeFirst();
  return r ? norm(r) : undefined;
}

export async function listVersions(db: Kysely<DB>): Promise<VersionRow[]> {
  return (await db.selectFrom('orientation_versions').selectAll().orderBy('id', 'desc').execute()).map(norm);
}

export async function updateDraft(db: Kysely<DB>, id: number, changes: { graph: string; note: string }): Promise<boolean> {
  const r = await db.updateTable('orientation_versions').set(changes).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Retires the published version and publishes the draft `id`, in the caller's transaction. */
export async function publish(db: Kysely<DB>, id: number, now: string): Promise<boolean> {
  await db.updateTable('orientation_versions').set({ status: 'retired' }).where('status', '=', 'published').execute();
  const r = await db.updateTable('orientation_versions').set({ status: 'published', published_at: now }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countOutcome(db: Kysely<DB>, versionId: number, outcome: string, day: string): Promise<void> {
  await db.insertInto('orientation_counts').values({ version_id: versionId, outcome, day, count: 1 })
    .onConflict((oc) => oc.columns(['version_id', 'outcome', 'day']).doUpdateSet({ count: sql`orientation_counts.count + 1` }))
    .execute();
}

export async function outcomeTotals(db: Kysely<DB>): Promise<{ version_id: number; outcome: string; count: number }[]> {
  const rows = await db.selectFrom('orientation_counts').select(['version_id', 'outcome', (eb) => eb.fn.sum<number>('count').as('count')])
    .groupBy(['version_id', 'outcome']).orderBy('version_id').orderBy('outcome').execute();
  return rows.map((r) => ({ version_id: Number(r.version_id), outcome: r.outcome, count: Number(r.count) }));
}
