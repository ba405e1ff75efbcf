// Argon2id off the event loop, in threads of the portal's own that yield the CPU to page serving.
//
// Argon2id is CPU- and memory-heavy by design (tens of milliseconds per call). At most (cores - 1)
// computations run at once, each in a worker thread that lowers its own scheduling priority (nice 19;
// on Linux a thread's nice value is its own): when the cores are all busy, the kernel runs the thread
// that serves pages first and hashing waits, instead of pages waiting behind hashing. Run on libuv's
// shared thread pool instead, hashing would also hold up file and compression work there.
//
// On Linux the workers also move themselves to the SCHED_IDLE policy (with util-linux's `chrt`, as
// Node has no call for it; any process may lower its own threads' policy). Nice 19 alone is not
// enough on kernels with the EEVDF scheduler (6.6 and later): a thread that wakes up to serve a page
// may wait for a nice-19 hashing thread to finish its time slice, a few milliseconds, whereas it
// usually takes the CPU from a SCHED_IDLE thread at once (not always: a thread that has just used more
// than its share may still wait a few ms; ADR 0004, addendum). Where `chrt` is missing or
// refuses, the workers keep nice 19 and work the same.
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export type Argon2Call =
  | { op: 'hash'; password: string; options: object }
  | { op: 'verify'; encoded: string; password: string }
  | { op: 'hashRaw'; password: string; options: { salt: Uint8Array; outputLen: number } & Record<string, unknown> };

// The worker is a script of its own (evaluated, so it works the same from src/ under tsx and from the
// compiled dist/); it is given the resolved path of @node-rs/argon2 and uses its synchronous calls.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
const argon2 = require(workerData.argon2);
try { os.setPriority(0, workerData.nice); } catch {}
if (process.platform === 'linux') {
  try {
    // '/proc/thread-self' links to '<pid>/task/<this thread's id>'.
    const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
    require('node:child_process').execFileSync('chrt', ['--idle', '--pid', '0', tid], { stdio: 'ignore', timeout: 5000 });
  } catch {}
}
parentPort.on('message', (call) => {
  try {
    const value =
      call.op === 'hash' ? argon2.hashSync(call.password, call.options)
      : call.op === 'verify' ? argon2.verifySync(call.encoded, call.password)
      : argon2.hashRawSync(call.password, { ...call.options, salt: Buffer.from(call.options.salt) });
    parentPort.postMessage({ value });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
});
`;

interface Task { call: Argon2Call; resolve: (value: unknown) => void; reject: (err: Error) => void }
interface Slot { worker: Worker; task: Task | undefined }

export interface Argon2PoolOptions {
  /** How many computations may run at once: cores - 1 by default, at least 1. */
  threads?: number;
  /** The workers' nice value (0–19): 19, the lowest priority, by default. */
  nice?: number;
}

export function createArgon2Pool(options: Argon2PoolOptions = {}) {
  const size = Math.max(1, options.threads ?? os.cpus().length - 1);
  const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
  const slots: Slot[] = [];
  const queue: Task[] = [];

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { argon2, nice: options.nice ?? 19 } }), task: undefined };
    // Idle workers never keep the process alive.
    slot.worker.unref();
    // A worker has one call at a time: its answer is for the task it holds.
    slot.worker.on('message', (m: { value?: unknown; error?: string }) => {
      const task = slot.task;
      slot.task = undefined;
      slot.worker.unref();
      if (m.error !== undefined) task?.reject(new Error(m.error));
      else task?.resolve(m.value);
      dispatch();
    });
    // A worker that fails or stops (closing the pool) fails its task; another replaces it on the next call.
    const gone = (err: Error) => {
      const at = slots.indexOf(slot);
      if (at >= 0) slots.splice(at, 1);
      slot.task?.reject(err);
      slot.task = undefined;
      dispatch();
    };
    slot.worker.on('error', gone);
    slot.worker.on('exit', () => gone(new Error('argon2 worker stopped')));
    slots.push(slot);
    return slot;
  };

  const dispatch = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.task) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      const task = queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.call);
    }
  };

  return {
    run<T>(call: Argon2Call): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ call, resolve: resolve as (value: unknown) => void, reject });
        dispatch();
      });
    },
    /** Stops the workers; calls still queued fail. */
    async close(): Promise<void> {
      for (const task of queue.splice(0)) task.reject(new Error('argon2 pool closed'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
    },
  };
}
