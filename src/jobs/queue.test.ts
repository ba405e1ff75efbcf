import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.js';
import { createReadyDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { enqueue, Worker } from './queue.js';
import { findJob } from './repository.js';

const log = pino({ level: 'silent' });
let test: TestDatabase;
let database: Database;
beforeAll(async () => {
  ({ test, database } = await createReadyDatabase());
});
afterAll(() => test.cleanup());

describe('job queue', () => {
  it('runs a due job once, with its payload, and marks it done', async () => {
    const seen: unknown[] = [];
    const worker = new Worker({ database, log }).register('t.once', async (payload) => void seen.push(payload));
    const id = await enqueue(database, 't.once', { n: 1, text: 'مرحبا' });
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(seen).toEqual([{ n: 1, text: 'مرحبا' }]);
    expect(await findJob(database.db, id!)).toMatchObject({ status: 'done', attempts: 1, locked_by: null });
  });

  it('waits for the run-at time', async () => {
    const worker = new Worker({ database, log }).register('t.later', async () => {});
    const id = await enqueue(database, 't.later', null, { runAt: new Date(Date.now() + 60_000) });
    expect(await worker.drain()).toBe(0);
    expect((await findJob(database.db, id!))!.status).toBe('pending');
  });

  it('retries a failing job with exponential backoff, then gives up', async () => {
    let calls = 0;
    const worker = new Worker({ database, log, backoffMs: 1000 }).register('t.fail', async () => {
      calls++;
      throw new Error(`attempt ${calls} failed`);
    });
    const id = (await enqueue(database, 't.fail', null, { maxAttempts: 3 }))!;
    const before = Date.now();
    await worker.runOne();
    let job = (await findJob(database.db, id))!;
    expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: 'attempt 1 failed' });
    const firstDelay = Date.parse(job.run_at) - before;
    expect(firstDelay).toBeGreaterThanOrEqual(1000);
    expect(firstDelay).toBeLessThan(5000);
    expect(await worker.runOne()).toBe(false); // not due yet

    await database.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('id', '=', id).execute();
    const beforeSecond = Date.now();
    await worker.runOne();
    job = (await findJob(database.db, id))!;
    expect(job.attempts).toBe(2);
    expect(Date.parse(job.run_at) - beforeSecond).toBeGreaterThanOrEqual(2000);

    await database.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('id', '=', id).execute();
    await worker.runOne();
    expect(await findJob(database.db, id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'attempt 3 failed' });
    expect(calls).toBe(3);
  });

  it('a unique key admits one job only', async () => {
    const a = await enqueue(database, 't.unique', 1, { uniqueKey: 'reminder:case-1:ack' });
    const b = await enqueue(database, 't.unique', 2, { uniqueKey: 'reminder:case-1:ack' });
    expect(a).toBeTypeOf('number');
    expect(b).toBeUndefined();
  });

  it('takes over a job whose worker died once its lease expires', async () => {
    const id = (await enqueue(database, 't.lease', null))!;
    await database.db.updateTable('jobs').set({ status: 'running', locked_by: 'dead-worker', locked_until: new Date(Date.now() - 1000).toISOString(), attempts: 1 }).where('id', '=', id).execute();
    const worker = new Worker({ database, log }).register('t.lease', async () => {});
    expect(await worker.drain()).toBe(1);
    expect(await findJob(database.db, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('schedules a recurring job once per period, however many workers ask', async () => {
    let runs = 0;
    const make = () => new Worker({ database, log }).register('t.every', async () => void runs++).every('t.every', 3_600_000);
    await Promise.all([make().drain(), make().drain(), make().drain()]);
    await make().drain();
    expect(runs).toBe(1);
  });
});

describe('exactly once across processes', () => {
  it('two worker processes on one database never run the same job twice', async () => {
    await sql`create table test_job_runs (job_id integer not null, worker text not null)`.execute(database.db);
    await sql`create table test_job_ready (worker text not null)`.execute(database.db);
    const total = 150;
    for (let i = 0; i < total; i++) await enqueue(database, 'test.record', { i });
    const run = (name: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fixtures/job-worker.ts', test.url, name], { timeout: 90_000 });
    const outputs = await Promise.all([run('w1'), run('w2')]);
    const reports = outputs.map((o) => JSON.parse(o.stdout) as { worker: string; ran: number });
    const rows = await sql<{ job_id: number; worker: string }>`select job_id, worker from test_job_runs`.execute(database.db);
    const perJob = new Map<number, number>();
    for (const r of rows.rows) perJob.set(Number(r.job_id), (perJob.get(Number(r.job_id)) ?? 0) + 1);
    expect(rows.rows.length).toBe(total);
    expect(perJob.size).toBe(total);
    expect([...perJob.values()].every((n) => n === 1)).toBe(true);
    expect(reports.reduce((s, r) => s + r.ran, 0)).toBe(total);
    // Both processes took part: the test really exercised concurrent claiming.
    expect(reports.every((r) => r.ran > 0)).toBe(true);
  });
});
