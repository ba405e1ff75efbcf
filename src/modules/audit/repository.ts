import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../db/index.js';
import type { AuditLogTable, DB } from '../../db/schema.js';

/** Serialises appends across processes: an advisory lock on PostgreSQL; SQLite's write lock (taken by writeTransaction) does it there. */
export async function lockChain(trx: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7215001)`.execute(trx);
}

export async function head(db: Kysely<DB>): Promise<Pick<AuditLogTable, 'seq' | 'hash'> | undefined> {
  const row = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

export async function insert(trx: Kysely<DB>, entry: AuditLogTable): Promise<void> {
  await trx.insertInto('audit_log').values(entry).execute();
}

/** Entries after `afterSeq`, in order, a page at a time (verification walks the whole chain in constant memory). */
export async function pageAfter(db: Kysely<DB>, afterSeq: number, limit: number): Promise<AuditLogTable[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export interface AuditFilter { action?: string | undefined; actor?: string | undefined; organisation?: string | undefined; target?: string | undefined; beforeSeq?: number | undefined }

/** Newest first, for browsing; `beforeSeq` pages backwards. */
export async function search(db: Kysely<DB>, filter: AuditFilter, limit: number): Promise<AuditLogTable[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.organisation) q = q.where('organisation', '=', filter.organisation);
  if (filter.target) q = q.where('target', '=', filter.target);
  if (filter.beforeSeq) q = q.where('seq', '<', filter.beforeSeq);
  const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}
