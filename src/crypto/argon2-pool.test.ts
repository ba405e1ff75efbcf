import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashRawSync, verifySync } from '@node-rs/argon2';
import { afterEach, describe, expect, it } from 'vitest';
import { createArgon2Pool } from './argon2-pool.js';

// Small parameters: these tests are about the pool, not about Argon2id's cost.
const options = { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 };
const pools: ReturnType<typeof createArgon2Pool>[] = [];
const pool = (threads = 1) => {
  const p = createArgon2Pool({ threads });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Nice value and scheduling policy (0 normal, 5 SCHED_IDLE) of this process's threads (Linux), by thread id. */
const schedulingOfThreads = () =>
  new Map(fs.readdirSync('/proc/self/task').map((tid) => {
    // Fields after the command name (which is in parentheses), the first being field 3: nice is
    // field 19, policy field 41.
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(tid), { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) }];
  }));

describe('the Argon2id pool', () => {
  it('computes what the library computes: hashes that verify, raw keys from a salt', async () => {
    const p = pool();
    const encoded = await p.run<string>({ op: 'hash', password: 'reçu ⵜⴰⵎⴰⵣⵉⵖⵜ', options });
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(verifySync(encoded, 'reçu ⵜⴰⵎⴰⵣⵉⵖⵜ')).toBe(true);
    expect(await p.run<boolean>({ op: 'verify', encoded, password: 'reçu ⵜⴰⵎⴰⵣⵉⵖⵜ' })).toBe(true);
    expect(await p.run<boolean>({ op: 'verify', encoded, password: 'recu' })).toBe(false);
    const salt = Buffer.alloc(16, 7);
    const raw = await p.run<Uint8Array>({ op: 'hashRaw', password: 'secret', options: { ...options, salt, outputLen: 32 } });
    expect(Buffer.from(raw).equals(hashRawSync('secret', { ...options, salt, outputLen: 32 }))).toBe(true);
  });

  it('answers every call when more arrive than it has threads, each with its own result', async () => {
    const p = pool(2);
    const salts = Array.from({ length: 7 }, (_, i) => Buffer.alloc(16, i));
    const keys = await Promise.all(salts.map((salt) => p.run<Uint8Array>({ op: 'hashRaw', password: 'x', options: { ...options, salt, outputLen: 32 } })));
    keys.forEach((key, i) => expect(Buffer.from(key).equals(hashRawSync('x', { ...options, salt: salts[i]!, outputLen: 32 }))).toBe(true));
    expect(new Set(keys.map((k) => Buffer.from(k).toString('hex'))).size).toBe(7);
  });

  it('rejects a call that fails (a malformed stored hash) and keeps working', async () => {
    const p = pool();
    await expect(p.run({ op: 'verify', encoded: 'not an argon2 hash', password: 'x' })).rejects.toThrow();
    expect(await p.run<string>({ op: 'hash', password: 'x', options })).toMatch(/^\$argon2id\$/);
  });

  it.runIf(process.platform === 'linux')('hashes in a thread of the lowest priority (nice 19, SCHED_IDLE), leaving the event loop\'s thread as it was', async () => {
    const before = schedulingOfThreads();
    const p = pool(1);
    await p.run({ op: 'hash', password: 'x', options });
    const after = schedulingOfThreads();
    const added = [...after].filter(([tid]) => !before.has(tid)).map(([, s]) => s);
    expect(added).toContainEqual({ nice: 19, policy: 5 });
    expect(after.get(process.pid)).toEqual(before.get(process.pid));
    expect(after.get(process.pid)?.policy).toBe(0);
  });

  it('fails the calls still waiting when it is closed', async () => {
    const p = pool(1);
    const calls = [1, 2, 3].map((i) => p.run({ op: 'hash', password: String(i), options: { ...options, memoryCost: 8192, timeCost: 2 } }));
    const settled = Promise.allSettled(calls);
    await p.close();
    const outcomes = await settled;
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    // Closed is not broken: a later call starts a new worker.
    expect(await p.run<string>({ op: 'hash', password: 'x', options })).toMatch(/^\$argon2id\$/);
  });

  it('does not keep a process alive once its work is done', () => {
    const script = `const { createArgon2Pool } = await import(${JSON.stringify(new URL('./argon2-pool.ts', import.meta.url).href)});
      const p = createArgon2Pool({ threads: 1 });
      console.log(await p.run({ op: 'hash', password: 'x', options: ${JSON.stringify(options)} }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000, cwd: fileURLToPath(new URL('../..', import.meta.url)) }).toString();
    expect(out).toMatch(/^\$argon2id\$/);
  });
});
