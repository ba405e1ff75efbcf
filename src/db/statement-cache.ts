// Prepared statements kept per SQL text. Kysely's SQLite driver prepares every query it runs; the
// portal runs the same few hundred queries over and over, and preparing them again each time cost
// about a tenth of a page's database time and left a native statement per query for the garbage
// collector. better-sqlite3 re-prepares a cached statement by itself when the schema changes.
import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function cachingStatements(sqlite: SQLiteDatabase, capacity = 500): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      const hit = cache.get(sql);
      // A statement still iterating (a streamed query) cannot run again: that caller gets its own.
      if (hit && !hit.busy) {
        // Most recently used last: the first entry is the one to drop when the cache is full.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = sqlite.prepare(sql);
      if (!hit) {
        cache.set(sql, statement);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}
