// One Kysely factory for both engines: SQLite (embedded default) and PostgreSQL (scale-out),
// chosen by the URL. Repositories receive `db` (or a transaction) and may branch on `dialect`
// only where the engines truly differ.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { cachingStatements } from './statement-cache.js';
import { startCheckpointer } from './checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** A description without credentials, for logs. */
  label: string;
  close(): Promise<void>;
}

// int8 (count, sum) arrives as text from pg; our ids and counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '');
}

export interface OpenOptions {
  /**
   * SQLite only: WAL checkpoints in a worker thread instead of inside whichever commit fills the WAL
   * (src/db/checkpointer.ts). For the long-running portal, whose event loop must not wait for the disk;
   * short commands keep SQLite's automatic checkpoint.
   */
  backgroundCheckpoints?: boolean;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  if (url.startsWith('sqlite:')) {
    const file = sqlitePath(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // Other processes (the CLI while the portal runs) wait for the write lock instead of failing.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('secure_delete = ON');
    const checkpointer = options.backgroundCheckpoints && file !== ':memory:' ? startCheckpointer(sqlite, file) : undefined;
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
    const close = async () => {
      await checkpointer?.close();
      await db.destroy();
    };
    return { db, dialect: 'sqlite', label: `sqlite:${file}`, close };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can be cut by the server (restart, failover, an administrator): the pool drops
  // it and opens another on next use. Without this listener the error would end the process.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return { db, dialect: 'postgres', label: `postgres://${u.host}${u.pathname}`, close: () => db.destroy() };
}

export const nowIso = (): string => new Date().toISOString();

/**
 * Runs `fn` in one write transaction. On SQLite it begins IMMEDIATE, taking the write lock at once,
 * so a transaction that reads then writes (the audit chain's head, a counter) cannot interleave with
 * another process's. Inside `fn`, use only the handle it receives.
 */
export async function writeTransaction<T>(database: Database, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') return database.db.transaction().execute(fn);
  return database.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}
