import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export async function insertFeedback(db: Kysely<DB>, row: { path: string; locale: string; useful: boolean; day: string }): Promise<void> {
  await db.insertInto('page_feedback').values({ path: row.path, locale: row.locale, useful: row.useful ? 1 : 0, day: row.day }).execute();
}

export async function countFeedback(db: Kysely<DB>, path: string): Promise<{ useful: number; notUseful: number }> {
  const rows = await db
    .selectFrom('page_feedback')
    .select(['useful', db.fn.countAll<number>().as('n')])
    .where('path', '=', path)
    .groupBy('useful')
    .execute();
  const n = (u: number) => Number(rows.find((r) => Number(r.useful) === u)?.n ?? 0);
  return { useful: n(1), notUseful: n(0) };
}
