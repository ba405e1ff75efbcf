import type { Kysely } from 'kysely';
import type { DB, MovableHolidayTable } from '../../../db/schema.js';

type Db = Kysely<DB>;

export type MovableHolidayRow = MovableHolidayTable;

/** Movable holidays from `from` to `to` ('YYYY-MM-DD', both included), by day. */
export async function listHolidays(db: Db, from: string, to: string): Promise<MovableHolidayRow[]> {
  const rows = await db.selectFrom('movable_holidays').selectAll().where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
  return rows.map((r) => ({ ...r, provisional: Number(r.provisional) }));
}

export async function upsertHoliday(db: Db, row: MovableHolidayRow): Promise<void> {
  const { day, ...rest } = row;
  await db.insertInto('movable_holidays').values(row).onConflict((oc) => oc.column('day').doUpdateSet(rest)).execute();
}

/** Inserts unless the day is already set: reloading reference data keeps administrators' corrections. */
export async function insertHolidayIfAbsent(db: Db, row: MovableHolidayRow): Promise<boolean> {
  const r = await db.insertInto('movable_holidays').values(row).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Deletes the day's holiday; false if there was none. */
export async function deleteHoliday(db: Db, day: string): Promise<boolean> {
  const r = await db.deleteFrom('movable_holidays').where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
