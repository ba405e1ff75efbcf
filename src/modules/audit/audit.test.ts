import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, writeTransaction } from '../../db/index.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { anchorFile, appendAudit, readAnchors, verifyAudit, writeAnchor } from './service.js';

let test: TestDatabase;
let database: Database;
// A migrated database without reference data: the chain starts empty.
beforeEach(async () => {
  test = await createTestDatabase();
  database = test.open();
  await migrateToLatest(database.db);
});
afterEach(() => test.cleanup());

async function append(n: number, action = 'test.event') {
  for (let i = 0; i < n; i++) {
    await writeTransaction(database, (trx) => appendAudit(trx, database.dialect, { actor: 'user:1', organisation: 'org:2', action, target: `thing:${i}`, details: { i } }));
  }
}
const verify = async () => verifyAudit(database.db, readAnchors(anchorFile(test.dataDir)));

describe('audit chain', () => {
  it('an intact chain verifies, with its anchors', async () => {
    await append(5);
    expect(await writeAnchor(database, test.dataDir)).toMatchObject({ seq: 5 });
    expect(await writeAnchor(database, test.dataDir)).toBeUndefined(); // unchanged head: no new anchor
    await append(2);
    expect(await verify()).toEqual({ ok: true, entries: 7, anchors: 1 });
  });

  it('an empty log verifies', async () => {
    expect(await verify()).toEqual({ ok: true, entries: 0, anchors: 0 });
  });

  it('an entry is written with its action or not at all', async () => {
    await expect(writeTransaction(database, async (trx) => {
      await appendAudit(trx, database.dialect, { actor: 'cli', action: 'test.rolled-back' });
      throw new Error('the action failed');
    })).rejects.toThrow('the action failed');
    expect(await database.db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
  });

  it.each(['at', 'actor', 'organisation', 'action', 'target', 'details', 'prev_hash'] as const)('editing the %s of an entry is detected and named', async (field) => {
    await append(5);
    const value = field === 'details' ? '{"i":99}' : field === 'prev_hash' ? 'f'.repeat(64) : 'tampered';
    await database.db.updateTable('audit_log').set({ [field]: value }).where('seq', '=', 3).execute();
    expect(await verify()).toMatchObject({ ok: false, seq: 3, problem: 'altered' });
  });

  it('an edit that recomputes the hash breaks the link to the next entry', async () => {
    await append(5);
    const { entryHash } = await import('./service.js');
    const row = (await database.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow());
    const forged = { ...row, seq: Number(row.seq), action: 'test.forged' };
    const { hash: _old, ...rest } = forged;
    await database.db.updateTable('audit_log').set({ action: 'test.forged', hash: entryHash(rest) }).where('seq', '=', 2).execute();
    expect(await verify()).toMatchObject({ ok: false, seq: 3, problem: 'unlinked' });
  });

  it('deleting an entry is detected and named', async () => {
    await append(5);
    await database.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: 3, problem: 'missing' });
    expect(result.ok ? '' : result.message).toBe('entry 3 is missing: the log jumps from entry 2 to entry 4 (deleted)');
  });

  it('reordering entries is detected', async () => {
    await append(5);
    await database.db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 2).execute();
    await database.db.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute();
    await database.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 100).execute();
    expect(await verify()).toMatchObject({ ok: false, seq: 2, problem: 'altered' });
  });

  it('deleting the latest entries is detected through the anchor', async () => {
    await append(6);
    await writeAnchor(database, test.dataDir);
    await database.db.deleteFrom('audit_log').where('seq', '>', 4).execute();
    const result = await verify();
    expect(result).toMatchObject({ ok: false, seq: 5, problem: 'truncated' });
  });

  it('rewriting the anchored chain wholesale is detected through the anchor', async () => {
    await append(3);
    await writeAnchor(database, test.dataDir);
    await database.db.deleteFrom('audit_log').execute();
    // A fresh, internally consistent chain of the same length that says something else (the same
    // entries written within the same millisecond would be the same chain, not a forgery).
    await append(3, 'test.rewritten');
    expect(await verify()).toMatchObject({ ok: false, seq: 3, problem: 'anchor-mismatch' });
  });

  it('appends from two processes at once form one unbroken chain', async () => {
    const start = String(Date.now() + 1500);
    const run = (name: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fixtures/audit-writer.ts', test.url, name, '40', start], { timeout: 60_000 });
    await Promise.all([run('a'), run('b')]);
    expect(await verify()).toEqual({ ok: true, entries: 80, anchors: 0 });
  });
});
