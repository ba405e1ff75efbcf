// Password hashing and password-derived keys with Argon2id (@node-rs/argon2 runs them in its own
// threads: the event loop stays free). Parameters: 64 MiB, 3 passes, 1 lane (RFC 9106's second
// recommended option), about 60 ms per call on the project's machines.
import crypto from 'node:crypto';
import os from 'node:os';
import { hash, hashRaw, verify } from '@node-rs/argon2';

// Argon2id is memory-hard and CPU-heavy by design. At most (cores - 1) computations run at once, so
// a burst of submissions or sign-ins queues here instead of taking every core from the thread that
// serves public pages.
const slots = Math.max(1, os.cpus().length - 1);
let busy = 0;
const waiting: (() => void)[] = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (busy >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  busy++;
  try {
    return await work();
  } finally {
    busy--;
    waiting.shift()?.();
  }
}

// algorithm 2 is Argon2id (the library's Algorithm enum is a const enum we cannot import).
const params = { algorithm: 2, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => limited(() => hash(password, params));

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await limited(() => verify(encoded, password));
  } catch {
    return false;
  }
}

/** A 32-byte key derived from a password and a 16-byte salt (stored beside what it protects). */
export async function keyFromPassword(password: string, salt: Buffer): Promise<Buffer> {
  return Buffer.from(await limited(() => hashRaw(password, { ...params, salt, outputLen: 32 })));
}

/**
 * A 32-byte key derived from a high-entropy secret (recovery code, receipt secret, session key): these
 * carry 80 bits or more, so a fast KDF is enough and guessing stays hopeless.
 */
export function keyFromSecret(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', typeof secret === 'string' ? Buffer.from(secret) : secret, Buffer.alloc(0), `nazaha:${purpose}`, 32));
}
