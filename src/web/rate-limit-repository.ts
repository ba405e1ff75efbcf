import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';

/** Counts `count` hits for `key` in a fixed window, atomically in both dialects; returns the new state. */
export async function hit(db: Kysely<DB>, key: string, windowMs: number, now = Date.now(), count = 1): Promise<{ hits: number; resetAt: number }> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, hits: count, reset_at: now + windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when rate_limits.reset_at <= ${now} then ${count} else rate_limits.hits + ${count} end`,
        reset_at: sql`case when rate_limits.reset_at <= ${now} then ${now + windowMs} else rate_limits.reset_at end`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
}

export async function deleteExpired(db: Kysely<DB>, now = Date.now()): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The secret of `day`, created by whichever node asks first. */
export async function daySecret(db: Kysely<DB>, day: string, candidate: string): Promise<string> {
  await db.insertInto('rate_limit_secrets').values({ day, secret: candidate }).onConflict((oc) => oc.column('day').doNothing()).execute();
  const row = await db.selectFrom('rate_limit_secrets').select('secret').where('day', '=', day).executeTakeFirstOrThrow();
  return row.secret;
}

/** Secrets older than `keepFrom` can no longer be needed by any window: destroy them. */
export async function deleteSecretsBefore(db: Kysely<DB>, keepFrom: string): Promise<number> {
  const r = await db.deleteFrom('rate_limit_secrets').where('day', '<', keepFrom).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The current count of `key` in its window, without counting a hit. */
export async function peek(db: Kysely<DB>, key: string, now = Date.now()): Promise<number> {
  const row = await db.selectFrom('rate_limits').select('hits').where('key', '=', key).where('reset_at', '>', now).executeTakeFirst();
  return row ? Number(row.hits) : 0;
}

export async function clear(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
