import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/index.js';
import type { DB, Job } from '../db/schema.js';

export interface NewJob {
  kind: string;
  payload: unknown;
  runAt: Date;
  maxAttempts: number;
  /** At most one job ever exists with a given key (e.g. "reminder:case-12:ack"). */
  uniqueKey?: string | undefined;
}

/** Inserts a job; with a unique key already taken, inserts nothing and returns undefined. */
export async function insertJob(db: Kysely<DB>, job: NewJob, now: string): Promise<number | undefined> {
  const row = await db
    .insertInto('jobs')
    .values({
      kind: job.kind, payload: JSON.stringify(job.payload ?? null), unique_key: job.uniqueKey ?? null, status: 'pending',
      run_at: job.runAt.toISOString(), attempts: 0, max_attempts: job.maxAttempts, created_at: now, updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/**
 * Claims the next due job for `worker` until `lockedUntil`. One statement in both dialects: on
 * PostgreSQL concurrent workers skip rows another has locked; SQLite has a single writer, so the
 * statement is atomic on its own. A running job whose lease expired (its worker died) is due again.
 */
export async function claimNext(db: Kysely<DB>, dialect: Dialect, opts: { worker: string; now: string; lockedUntil: string; kinds: string[] }): Promise<Job | undefined> {
  if (opts.kinds.length === 0) return undefined;
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('kind', 'in', opts.kinds)
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', opts.now)]),
      eb.and([eb('status', '=', 'running'), eb('locked_until', '<', opts.now)]),
    ]))
    .orderBy('run_at')
    .limit(1);
  const dueLocked = dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
  const row = await db
    .updateTable('jobs')
    .set({ status: 'running', locked_by: opts.worker, locked_until: opts.lockedUntil, attempts: sql`attempts + 1`, updated_at: opts.now })
    .where('id', '=', (eb) => eb.selectFrom(dueLocked.as('d')).select('d.id'))
    .returningAll()
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id), attempts: Number(row.attempts), max_attempts: Number(row.max_attempts) } : undefined;
}

export async function markDone(db: Kysely<DB>, id: number, worker: string, now: string): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', locked_by: null, locked_until: null, updated_at: now })
    .where('id', '=', id).where('locked_by', '=', worker).execute();
}

export async function markFailed(db: Kysely<DB>, id: number, worker: string, opts: { now: string; error: string; retryAt?: string | undefined }): Promise<void> {
  await db.updateTable('jobs')
    .set({
      status: opts.retryAt ? 'pending' : 'failed', run_at: opts.retryAt ?? sql`run_at`, last_error: opts.error.slice(0, 1000),
      locked_by: null, locked_until: null, updated_at: opts.now,
    })
    .where('id', '=', id).where('locked_by', '=', worker).execute();
}

export async function findJob(db: Kysely<DB>, id: number): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...row, id: Number(row.id), attempts: Number(row.attempts), max_attempts: Number(row.max_attempts) } : undefined;
}

export async function deleteFinishedBefore(db: Kysely<DB>, before: string): Promise<number> {
  const r = await db.deleteFrom('jobs').where('status', '=', 'done').where('updated_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
