// A fresh database per test file: a new SQLite file, or — when DATABASE_URL names a PostgreSQL
// server — a new database created on it and dropped afterwards, so runs never collide.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { runSeeds } from '../../src/db/seed.js';

export const usingPostgres = (): boolean => /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '');

export interface TestDatabase {
  url: string;
  dataDir: string;
  /** Opens a new connection (pool) to the test database; closed by cleanup. */
  open(): Database;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-test-'));
  const opened: Database[] = [];
  let url: string;
  let drop: () => Promise<void> = async () => {};
  if (usingPostgres()) {
    const admin = new URL(process.env.DATABASE_URL!);
    const name = `nazaha_test_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    const u = new URL(admin.toString());
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      // Ended pools close their connections without waiting for the server: wait (a few seconds at
      // most) until it has seen them go, or "with (force)" terminates one still closing, and its
      // client raises an uncaught error in whichever test file runs next.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    url = `sqlite:${path.join(dataDir, 'nazaha.sqlite')}`;
  }
  return {
    url,
    dataDir,
    open() {
      const database = openDatabase(url);
      opened.push(database);
      return database;
    },
    async cleanup() {
      for (const d of opened.splice(0)) await d.close().catch(() => {});
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated and seeded database, as a portal has after its first start, with the recovery keys it printed. */
export async function createReadyDatabase(): Promise<{ test: TestDatabase; database: Database; recoveryKeys: Record<string, string> }> {
  const test = await createTestDatabase();
  const database = test.open();
  await migrateToLatest(database.db);
  const seeded = await runSeeds(database);
  const recoveryKeys = Object.fromEntries(seeded.flatMap((s) => s.recoveryKeys ?? []).map((k) => [k.slug, k.key]));
  return { test, database, recoveryKeys };
}
