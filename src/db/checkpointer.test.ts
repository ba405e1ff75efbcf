import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';
import { openDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-checkpoint-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function walDatabase(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table note (body text not null)');
  return sqlite;
}

// 2000 pages of rows carrying `canary`: twice SQLite's automatic checkpoint threshold.
function fill(sqlite: SQLite.Database, canary: string): void {
  const insert = sqlite.prepare('insert into note (body) values (?)');
  for (let i = 0; i < 2000; i++) insert.run(`${canary} ${i} ${'x'.repeat(3900)}`);
}

const inFile = (file: string, canary: string) => fs.readFileSync(file).includes(canary);

describe('background WAL checkpoints', () => {
  it('takes the checkpoints off the connection and copies the WAL into the database file in its own thread', async () => {
    const file = path.join(dir, 'a.sqlite');
    const sqlite = walDatabase(file);
    // Only the checkpoints asked for below run.
    const checkpointer = startCheckpointer(sqlite, file, { checkMs: 3_600_000 });
    try {
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      fill(sqlite, 'canary-7f3a');
      // Past SQLite's threshold, yet nothing was copied by the commits themselves.
      expect(inFile(file, 'canary-7f3a')).toBe(false);
      const result = await checkpointer.now();
      expect(result.frames).toBeGreaterThan(1000);
      expect(result.copied).toBe(result.frames);
      expect(inFile(file, 'canary-7f3a')).toBe(true);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  const copiedWithin = async (file: string, canary: string, ms: number) => {
    const deadline = Date.now() + ms;
    while (!inFile(file, canary) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return inFile(file, canary);
  };

  it('checkpoints by itself once the WAL holds its threshold of pages, and a smaller WAL after a while', async () => {
    const file = path.join(dir, 'b.sqlite');
    const sqlite = walDatabase(file);
    const checkpointer = startCheckpointer(sqlite, file, { pages: 1000, atMostMs: 1500, checkMs: 20 });
    try {
      fill(sqlite, 'canary-threshold');
      expect(await copiedWithin(file, 'canary-threshold', 1000)).toBe(true);
      // A handful of pages waits for the time limit.
      sqlite.prepare('insert into note (body) values (?)').run('canary-small');
      expect(await copiedWithin(file, 'canary-small', 500)).toBe(false);
      expect(await copiedWithin(file, 'canary-small', 5000)).toBe(true);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  it('never makes the writer wait or fail while it copies', async () => {
    const file = path.join(dir, 'c.sqlite');
    const sqlite = walDatabase(file);
    const checkpointer = startCheckpointer(sqlite, file, { checkMs: 3_600_000 });
    try {
      const insert = sqlite.prepare('insert into note (body) values (?)');
      const runs: Promise<unknown>[] = [];
      for (let i = 0; i < 300; i++) {
        insert.run(`row ${i} ${'y'.repeat(3900)}`);
        if (i % 10 === 0) runs.push(checkpointer.now());
        // Lets the worker's answers in between the writes.
        if (i % 30 === 0) await new Promise((r) => setImmediate(r));
      }
      await Promise.all(runs);
      const last = await checkpointer.now();
      expect(last.copied).toBe(last.frames);
      expect(sqlite.prepare('select count(*) from note').pluck().get()).toBe(300);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  it('after a failed checkpoint, says so and waits for the time limit before trying again, then recovers', async () => {
    const file = path.join(dir, 'e.sqlite');
    const sqlite = walDatabase(file);
    const problems: string[] = [];
    const checkpointer = startCheckpointer(sqlite, file, { pages: 1, atMostMs: 1000, checkMs: 10, busyMs: 0, onProblem: (message) => problems.push(message) });
    try {
      // The connection keeps its lock after the write: every checkpoint of the worker fails.
      sqlite.pragma('locking_mode = EXCLUSIVE');
      sqlite.prepare('insert into note (body) values (?)').run('canary-locked');
      await new Promise((r) => setTimeout(r, 2500));
      // A look every 10 ms would have failed some 250 times; it tried at 0, 1 and 2 s.
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(problems.length).toBeLessThanOrEqual(4);
      expect(problems[0]).toMatch(/checkpoint failed \(it is tried again\): database is locked/);
      expect(inFile(file, 'canary-locked')).toBe(false);
      // The lock goes with the next read in normal mode; the next try copies the WAL.
      sqlite.pragma('locking_mode = NORMAL');
      sqlite.prepare('select count(*) from note').get();
      expect(await copiedWithin(file, 'canary-locked', 3000)).toBe(true);
      const told = problems.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(problems.length).toBe(told);
    } finally {
      await checkpointer.close();
      sqlite.close();
    }
  });

  it('gives the checkpoints back to the connection when it stops or cannot start', async () => {
    const file = path.join(dir, 'd.sqlite');
    const sqlite = walDatabase(file);
    const stopped = startCheckpointer(sqlite, file);
    await stopped.close();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(stopped.now()).rejects.toThrow(/stopped/);

    const problems: string[] = [];
    const told = new Promise<void>((resolve) => {
      startCheckpointer(sqlite, path.join(dir, 'missing', 'x.sqlite'), {
        onProblem: (message) => {
          problems.push(message);
          resolve();
        },
      });
    });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await told;
    expect(problems[0]).toMatch(/back on the main thread/);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    sqlite.close();
  });

  it('is what the portal opens its database with; short commands keep the automatic checkpoint', async () => {
    const portal = openDatabase(`sqlite:${path.join(dir, 'portal.sqlite')}`, { backgroundCheckpoints: true });
    const command = openDatabase(`sqlite:${path.join(dir, 'command.sqlite')}`);
    try {
      const setting = async (db: typeof portal.db) => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]?.wal_autocheckpoint;
      expect(await setting(portal.db)).toBe(0);
      expect(await setting(command.db)).toBe(1000);
    } finally {
      await portal.close();
      await command.close();
    }
  });
});
