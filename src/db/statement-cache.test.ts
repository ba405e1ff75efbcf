import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

const dirs: string[] = [];
function database() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-statements-'));
  dirs.push(dir);
  const sqlite = new SQLite(path.join(dir, 'test.db'));
  sqlite.exec('create table t (id integer primary key, name text); insert into t (name) values (\'a\'), (\'b\'), (\'c\')');
  return sqlite;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('cached prepared statements', () => {
  it('prepares each SQL text once and gives the same statement back', () => {
    const sqlite = database();
    const cached = cachingStatements(sqlite);
    const first = cached.prepare('select name from t where id = ?');
    expect(cached.prepare('select name from t where id = ?')).toBe(first);
    expect(first.all([2])).toEqual([{ name: 'b' }]);
    expect(cached.prepare('select name from t where id = ?').all([3])).toEqual([{ name: 'c' }]);
    cached.close();
    expect(sqlite.open).toBe(false);
  });

  it('keeps working after the schema changes (a migration while the portal runs)', () => {
    const cached = cachingStatements(database());
    expect(cached.prepare('select * from t where id = ?').all([1])).toEqual([{ id: 1, name: 'a' }]);
    cached.prepare('alter table t add column region text').run([]);
    cached.prepare('update t set region = ? where id = ?').run(['MA-04', 1]);
    expect(cached.prepare('select * from t where id = ?').all([1])).toEqual([{ id: 1, name: 'a', region: 'MA-04' }]);
    cached.close();
  });

  it('gives a statement of its own to a caller while the cached one is still being iterated', () => {
    const cached = cachingStatements(database());
    const text = 'select id from t order by id';
    const iterator = cached.prepare(text).iterate([]);
    expect(iterator.next().value).toEqual({ id: 1 });
    const other = cached.prepare(text);
    expect(other.all([])).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect([...iterator]).toEqual([{ id: 2 }, { id: 3 }]);
    cached.close();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cached = cachingStatements(database(), 2);
    const a = cached.prepare('select 1 as a');
    const b = cached.prepare('select 2 as b');
    expect(cached.prepare('select 1 as a')).toBe(a);
    cached.prepare('select 3 as c');
    expect(cached.prepare('select 1 as a')).toBe(a);
    expect(cached.prepare('select 2 as b')).not.toBe(b);
    cached.close();
  });

  it('serves Kysely: queries, streamed queries and transactions', async () => {
    const db = new Kysely<{ t: { id: Generated<number>; name: string } }>({ dialect: new SqliteDialect({ database: cachingStatements(database()) }) });
    const names = async () => (await db.selectFrom('t').select('name').orderBy('id').execute()).map((r) => r.name);
    expect(await names()).toEqual(['a', 'b', 'c']);
    const streamed: string[] = [];
    for await (const row of db.selectFrom('t').select('name').orderBy('id').stream()) streamed.push(row.name);
    expect(streamed).toEqual(['a', 'b', 'c']);
    await expect(db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'd' }).execute();
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await names()).toEqual(['a', 'b', 'c']);
    await sql`insert into t (name) values (${'e'})`.execute(db);
    expect(await names()).toEqual(['a', 'b', 'c', 'e']);
    await db.destroy();
  });
});
