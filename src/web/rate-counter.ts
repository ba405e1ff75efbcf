// The counter behind the global rate limit. Its state of record is the `rate_limits` table, shared by
// every app node; writing that table on every request cost half of a public page's CPU time, so a
// node batches: a client's first request of a window, every request in the upper half of the limit
// and every request under a small limit go to the database one by one (exact across nodes); below
// half the limit, hits are counted in memory and added to the table once per `flushMs`. Across N
// nodes a client can therefore pass the limit by at most what N nodes let through in one flush
// interval before any of them crosses half the limit. See docs/adr/0003-batched-rate-limit.md.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import * as repo from './rate-limit-repository.js';

interface Entry {
  /** The window's count in the database when this node last wrote to it. */
  known: number;
  /** Hits counted here since then. */
  local: number;
  resetAt: number;
}

export interface HitCounterOptions {
  db: Kysely<DB>;
  max: number;
  windowMs: number;
  flushMs?: number;
  /** Below this limit every hit is written at once: batching would blur a small limit. */
  exactBelow?: number;
  /** Clients remembered in memory at most; beyond, new clients are counted in the database only. */
  maxEntries?: number;
  onError?: (err: unknown) => void;
}

/** The database's count includes every hit written so far; later local hits stay local. */
function merge(entry: Entry, state: { hits: number; resetAt: number }): void {
  // Another node may have flushed meanwhile (a larger count), or the window may have restarted.
  entry.known = state.resetAt === entry.resetAt ? Math.max(entry.known, state.hits) : state.hits;
  entry.resetAt = state.resetAt;
}

export class HitCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private readonly opts: Required<HitCounterOptions>;
  private flushing: Promise<void> | undefined;

  constructor(opts: HitCounterOptions) {
    this.opts = { flushMs: 1000, exactBelow: 100, maxEntries: 100_000, onError: () => {}, ...opts };
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  /** Counts one hit of `key`; returns the client's count in the current window and when it resets. */
  async hit(key: string, now = Date.now()): Promise<{ current: number; resetAt: number }> {
    let entry = this.entries.get(key);
    if (entry && entry.resetAt <= now) {
      // The window ended: its unflushed hits no longer count.
      this.entries.delete(key);
      entry = undefined;
    }
    const { max, exactBelow, maxEntries } = this.opts;
    if (entry && max >= exactBelow && entry.known + entry.local + 1 <= max / 2) {
      entry.local += 1;
      return { current: entry.known + entry.local, resetAt: entry.resetAt };
    }
    // Exact: this hit and any pending ones go to the database now.
    const pending = entry?.local ?? 0;
    if (entry) entry.local = 0;
    let state: { hits: number; resetAt: number };
    try {
      state = await repo.hit(this.opts.db, key, this.opts.windowMs, now, pending + 1);
    } catch (err) {
      if (entry) entry.local += pending;
      throw err;
    }
    const current = this.entries.get(key);
    if (current) merge(current, state);
    else if (this.entries.size < maxEntries) {
      this.entries.set(key, { known: state.hits, local: 0, resetAt: state.resetAt });
    }
    return { current: state.hits, resetAt: state.resetAt };
  }

  /** Writes the hits counted in memory to the database and forgets ended windows. */
  flush(now = Date.now()): Promise<void> {
    this.flushing ??= this.writePending(now).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writePending(now: number): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (entry.resetAt <= now) {
        this.entries.delete(key);
        continue;
      }
      if (entry.local === 0) continue;
      const n = entry.local;
      entry.local = 0;
      try {
        const state = await repo.hit(this.opts.db, key, this.opts.windowMs, now, n);
        merge(entry, state);
      } catch (err) {
        entry.local += n;
        this.opts.onError(err);
        return;
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
