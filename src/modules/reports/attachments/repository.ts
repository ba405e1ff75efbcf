import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ReportAttachmentTable } from '../../../db/schema.js';

export type AttachmentRow = Selectable<ReportAttachmentTable>;

const row = (r: AttachmentRow): AttachmentRow => ({
  ...r, id: Number(r.id), report_id: Number(r.report_id), stored_bytes: Number(r.stored_bytes),
  // PostgreSQL returns a bigint as text.
  original_stored_bytes: r.original_stored_bytes === null ? null : Number(r.original_stored_bytes),
});

/** What the report's channel says about files added to it; undefined when there is no such report. */
export async function uploadPolicy(db: Kysely<DB>, reportId: number): Promise<{ keepOriginals: boolean } | undefined> {
  const r = await db.selectFrom('reports').innerJoin('channels', 'channels.id', 'reports.channel_id').select('channels.keep_originals').where('reports.id', '=', reportId).executeTakeFirst();
  return r && { keepOriginals: Number(r.keep_originals) === 1 };
}

/** Encrypted bytes stored for a report's files, kept originals included. */
export async function storedBytes(db: Kysely<DB>, reportId: number): Promise<number> {
  // PostgreSQL sums a bigint as numeric, which arrives as text.
  const r = await db.selectFrom('report_attachments')
    .select(sql<string | number>`coalesce(sum(stored_bytes + coalesce(original_stored_bytes, 0)), 0)`.as('total'))
    .where('report_id', '=', reportId).executeTakeFirstOrThrow();
  return Number(r.total);
}

/**
 * Inserts the attachment if the report's total stays within `maxTotal`, in one transaction that first
 * writes the report row (its day of last news): that write lock serialises concurrent uploads to the
 * same report on both engines, so two of them cannot both pass the check. Nothing is written when the
 * report is gone or the limit would be passed.
 */
export async function insertWithinLimit(db: Kysely<DB>, values: Omit<ReportAttachmentTable, 'id'>, maxTotal: number): Promise<{ id: number } | { refused: 'no-report' | 'limit' }> {
  const work = async (trx: Kysely<DB>) => {
    const updated = await trx.updateTable('reports').set({ updated_day: values.created_day }).where('id', '=', values.report_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new Refused('no-report');
    if ((await storedBytes(trx, values.report_id)) + values.stored_bytes + (values.original_stored_bytes ?? 0) > maxTotal) throw new Refused('limit');
    return { id: Number((await trx.insertInto('report_attachments').values(values).returning('id').executeTakeFirstOrThrow()).id) };
  };
  try {
    return db.isTransaction ? await work(db) : await db.transaction().execute(work);
  } catch (err) {
    if (err instanceof Refused) return { refused: err.reason };
    throw err;
  }
}

// Thrown inside the transaction so that it rolls back (the report's day stays as it was).
class Refused extends Error {
  constructor(readonly reason: 'no-report' | 'limit') {
    super(reason);
  }
}

export async function listForReport(db: Kysely<DB>, reportId: number): Promise<AttachmentRow[]> {
  return (await db.selectFrom('report_attachments').selectAll().where('report_id', '=', reportId).orderBy('id').execute()).map(row);
}

export async function find(db: Kysely<DB>, id: number): Promise<AttachmentRow | undefined> {
  const r = await db.selectFrom('report_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? row(r) : undefined;
}

export async function deleteForReport(db: Kysely<DB>, reportId: number): Promise<void> {
  await db.deleteFrom('report_attachments').where('report_id', '=', reportId).execute();
}
