// A job queue in the database: jobs have a run-at time, are retried with exponential backoff, and
// each is run by one worker at a time even with several app processes (see repository.claimNext).
// A job that completes is never run again; one whose worker dies mid-run is retried once its lease
// expires, so handlers keep their effects idempotent (or write them in one transaction).
import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/index.js';
import * as repo from './repository.js';

export interface JobContext { database: Database; jobId: number; attempt: number }
export type JobHandler = (payload: any, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  uniqueKey?: string;
}

/** `database` may be a transaction's handle ({ db: trx }): the job then exists only if the transaction commits. */
export async function enqueue(database: Pick<Database, 'db'>, kind: string, payload: unknown, opts: EnqueueOptions = {}): Promise<number | undefined> {
  return repo.insertJob(database.db, { kind, payload, runAt: opts.runAt ?? new Date(), maxAttempts: opts.maxAttempts ?? 5, uniqueKey: opts.uniqueKey }, new Date().toISOString());
}

export interface WorkerOptions {
  database: Database;
  log: FastifyBaseLogger;
  /** How long a claimed job stays locked before another worker may take it over. */
  leaseMs?: number;
  pollMs?: number;
  /** First retry delay; doubles with each attempt. */
  backoffMs?: number;
  id?: string;
}

interface Recurring { kind: string; everyMs: number; payload: unknown }

export class Worker {
  readonly id: string;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly recurring: Recurring[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private stopping = false;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.id ?? `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  }

  register(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /** Runs `kind` once per period across all nodes: the period's start is the job's unique key. */
  every(kind: string, everyMs: number, payload: unknown = null): this {
    this.recurring.push({ kind, everyMs, payload });
    return this;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.drain().then(
        () => undefined,
        (err) => this.opts.log.error({ err }, 'job worker failed'),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(loop, this.opts.pollMs ?? 1000);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Schedules recurring jobs, then runs due jobs until none is left; returns how many ran. */
  async drain(): Promise<number> {
    await this.scheduleRecurring();
    let ran = 0;
    while (!this.stopping && (await this.runOne())) ran++;
    return ran;
  }

  private async scheduleRecurring(): Promise<void> {
    const now = Date.now();
    for (const r of this.recurring) {
      const period = Math.floor(now / r.everyMs) * r.everyMs;
      await enqueue(this.opts.database, r.kind, r.payload, { runAt: new Date(period), uniqueKey: `${r.kind}@${new Date(period).toISOString()}`, maxAttempts: 3 });
    }
  }

  /** Claims and runs one due job; false when none is due. */
  async runOne(): Promise<boolean> {
    const now = new Date();
    const job = await repo.claimNext(this.opts.database.db, this.opts.database.dialect, {
      worker: this.id, now: now.toISOString(), lockedUntil: new Date(now.getTime() + (this.opts.leaseMs ?? 5 * 60_000)).toISOString(), kinds: [...this.handlers.keys()],
    });
    if (!job) return false;
    const handler = this.handlers.get(job.kind)!;
    const log = this.opts.log.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    try {
      await handler(JSON.parse(job.payload), { database: this.opts.database, jobId: job.id, attempt: job.attempts });
      await repo.markDone(this.opts.database.db, job.id, this.id, new Date().toISOString());
      log.debug('job done');
    } catch (err) {
      const retry = job.attempts < job.max_attempts;
      const delay = (this.opts.backoffMs ?? 30_000) * 2 ** (job.attempts - 1);
      const retryAt = retry ? new Date(Date.now() + delay).toISOString() : undefined;
      await repo.markFailed(this.opts.database.db, job.id, this.id, { now: new Date().toISOString(), error: (err as Error).message ?? String(err), retryAt });
      log.warn({ err, retryAt }, retry ? 'job failed, will retry' : 'job failed for good');
    }
    return true;
  }
}
