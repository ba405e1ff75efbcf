// SQLite's WAL checkpoints in a thread of their own, never on the event loop.
//
// In WAL mode with synchronous = NORMAL a commit only appends pages to the -wal file. The slow part is
// the checkpoint, which copies those pages back into the database file and waits for the disk twice
// (the WAL, then the database). SQLite runs it by itself inside the commit that takes the WAL past
// 1000 pages: in the portal, on the event loop, where every request then waited for the disk (2–5 ms
// at a time on a virtual disk while reports were being sent; bench/README.md, ADR 0006).
//
// The portal's own connection therefore has the automatic checkpoint turned off, and a worker thread
// with a second connection to the same file takes over. Like SQLite, it checkpoints when the WAL holds
// 1000 pages not yet copied (and after 10 s for fewer): it reads that count from the wal-index header
// in the -shm file (mxFrame and nBackfill, https://www.sqlite.org/walformat.html), four times a second,
// and runs a PASSIVE checkpoint, which copies what it can without waiting for readers or for the
// writer; they never wait for it. Checkpointing at SQLite's own pace matters: after each complete
// checkpoint the next commit starts the WAL over and syncs its header, on the main thread.
// If the worker stops or cannot start, the automatic checkpoint is turned back on, so that the WAL
// never grows unchecked.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as SQLiteDatabase } from 'better-sqlite3';

/** SQLite's own default threshold, restored if the worker is gone. */
const AUTOMATIC_PAGES = 1000;

/** What one checkpoint found and did, in WAL frames (pages). */
export interface CheckpointResult { busy: boolean; frames: number; copied: number }

// The worker is a script of its own (evaluated, so that it works the same from src/ under tsx and from
// the compiled dist/); it is given the resolved path of better-sqlite3.
const WORKER_SOURCE = `
const fs = require('node:fs');
const os = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyMs });
const header = Buffer.alloc(100);
let shm;
// Pages in the WAL not yet copied into the database, from the wal-index header (native byte order);
// undefined if it cannot be read (no -shm file yet).
const waiting = () => {
  try {
    shm ??= fs.openSync(workerData.file + '-shm', 'r');
    if (fs.readSync(shm, header, 0, 100, 0) < 100) return undefined;
    const read = os.endianness() === 'LE' ? (at) => header.readUInt32LE(at) : (at) => header.readUInt32BE(at);
    return read(16) - read(96);
  } catch {
    return undefined;
  }
};
let last = Date.now();
// After a failure (a full disk, a lock held too long), the next try waits for the time limit, counted
// from the failure, instead of the next look.
let failed = false;
const checkpoint = (asked) => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    failed = false;
    if (asked !== undefined) parentPort.postMessage({ asked, busy: r.busy === 1, frames: r.log, copied: r.checkpointed });
  } catch (err) {
    failed = true;
    parentPort.postMessage({ asked, error: String((err && err.message) || err) });
  }
  last = Date.now();
};
const timer = setInterval(() => {
  if (failed && Date.now() - last < workerData.atMostMs) return;
  const pages = waiting();
  const late = Date.now() - last >= workerData.atMostMs;
  if (pages === undefined ? late : pages >= workerData.pages || (pages > 0 && late)) checkpoint();
}, workerData.checkMs);
parentPort.on('message', (m) => {
  if (typeof m === 'number') return checkpoint(m);
  clearInterval(timer);
  if (shm !== undefined) fs.closeSync(shm);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a checkpoint at once in the worker and resolves with its result. */
  now(): Promise<CheckpointResult>;
  /** Stops the worker; the connection's automatic checkpoint is turned back on. */
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Checkpoint once the WAL holds this many pages not yet copied (1000, SQLite's default). */
  pages?: number;
  /** ... or once this many ms have passed since the last checkpoint, if it holds any (10 000). */
  atMostMs?: number;
  /** How often the worker looks at the WAL, in ms (250). */
  checkMs?: number;
  /** How long a checkpoint waits for a lock before it fails (5000, better-sqlite3's default). */
  busyMs?: number;
  /** A checkpoint failed, or the worker stopped: told once per event, nothing is thrown. */
  onProblem?: (message: string) => void;
}

/** Takes over the checkpoints of `sqlite`, a connection in WAL mode to the database file `file`. */
export function startCheckpointer(sqlite: SQLiteDatabase, file: string, options: CheckpointerOptions = {}): Checkpointer {
  const problem = options.onProblem ?? ((message: string) => process.emitWarning(message));
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  sqlite.pragma('wal_autocheckpoint = 0');
  const asked = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (err: Error) => void }>();
  let asks = 0;
  let closing = false;
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver, file, pages: options.pages ?? AUTOMATIC_PAGES, atMostMs: options.atMostMs ?? 10_000, checkMs: options.checkMs ?? 250, busyMs: options.busyMs ?? 5000 } });
  // The worker never keeps the process alive on its own.
  worker.unref();
  worker.on('message', (m: CheckpointResult & { asked?: number; error?: string }) => {
    const caller = m.asked === undefined ? undefined : asked.get(m.asked);
    if (m.asked !== undefined) asked.delete(m.asked);
    if (m.error !== undefined) {
      if (caller) caller.reject(new Error(m.error));
      else problem(`SQLite checkpoint failed (it is tried again): ${m.error}`);
      return;
    }
    caller?.resolve({ busy: m.busy, frames: m.frames, copied: m.copied });
    if (asked.size === 0) worker.unref();
  });
  let gone = false;
  const fallBack = (why: string) => {
    if (gone) return;
    gone = true;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOMATIC_PAGES}`);
    for (const caller of asked.values()) caller.reject(new Error('the checkpoint thread has stopped'));
    asked.clear();
    if (!closing) problem(`SQLite checkpoints are back on the main thread: ${why}`);
  };
  worker.on('error', (err) => fallBack(err.message));
  worker.on('exit', () => fallBack('the checkpoint thread stopped'));
  return {
    now() {
      if (gone) return Promise.reject(new Error('the checkpoint thread has stopped'));
      return new Promise((resolve, reject) => {
        const id = ++asks;
        asked.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage(id);
      });
    },
    async close() {
      if (gone) return;
      closing = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}
