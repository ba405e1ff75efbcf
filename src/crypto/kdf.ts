// Password hashing and password-derived keys with Argon2id, computed in low-priority worker threads
// (argon2-pool.ts): the event loop stays free and page serving keeps the CPU first. Parameters: 64 MiB,
// 3 passes, 1 lane (RFC 9106's second recommended option), about 60 ms per call on the project's machines.
import crypto from 'node:crypto';
import { createArgon2Pool } from './argon2-pool.js';

const pool = createArgon2Pool();

// algorithm 2 is Argon2id (the library's Algorithm enum is a const enum we cannot import).
const params = { algorithm: 2, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => pool.run({ op: 'hash', password, options: params });

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await pool.run<boolean>({ op: 'verify', encoded, password });
  } catch {
    return false;
  }
}

/** A 32-byte key derived from a password and a 16-byte salt (stored beside what it protects). */
export async function keyFromPassword(password: string, salt: Buffer): Promise<Buffer> {
  return Buffer.from(await pool.run<Uint8Array>({ op: 'hashRaw', password, options: { ...params, salt, outputLen: 32 } }));
}

/**
 * A 32-byte key derived from a high-entropy secret (recovery code, receipt secret, session key): these
 * carry 80 bits or more, so a fast KDF is enough and guessing stays hopeless.
 */
export function keyFromSecret(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', typeof secret === 'string' ? Buffer.from(secret) : secret, Buffer.alloc(0), `nazaha:${purpose}`, 32));
}
