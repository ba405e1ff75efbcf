// Password hashing and password-derived keys with Argon2id, computed in low-priority worker threads
// (argon2-pool.ts): the event loop stays free and page serving keeps the CPU first. Parameters for
// passwords: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option), about 60 ms per call on
// the project's machines. Receipts have parameters of their own (below, ADR 0005).
import crypto from 'node:crypto';
import { createArgon2Pool } from './argon2-pool.js';

const pool = createArgon2Pool();

export interface Argon2Params { memoryCost: number; timeCost: number; parallelism: number }

const PASSWORD_PARAMS: Argon2Params = { memoryCost: 65536, timeCost: 3, parallelism: 1 };
// algorithm 2 is Argon2id (the library's Algorithm enum is a const enum we cannot import).
const hashWith = (secret: string, parameters: Argon2Params): Promise<string> => pool.run({ op: 'hash', password: secret, options: { algorithm: 2, ...parameters } });
const keyWith = async (secret: string, salt: Buffer, parameters: Argon2Params): Promise<Buffer> =>
  Buffer.from(await pool.run<Uint8Array>({ op: 'hashRaw', password: secret, options: { algorithm: 2, ...parameters, salt, outputLen: 32 } }));

export const hashPassword = (password: string): Promise<string> => hashWith(password, PASSWORD_PARAMS);

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await pool.run<boolean>({ op: 'verify', encoded, password });
  } catch {
    return false;
  }
}

/** A 32-byte key derived from a password and a 16-byte salt (stored beside what it protects). */
export const keyFromPassword = (password: string, salt: Buffer): Promise<Buffer> => keyWith(password, salt, PASSWORD_PARAMS);

/**
 * Receipts: 4 MiB, 64 passes, 1 lane (about 40 ms per call, the same order of work as passwords). A
 * receipt's secret carries 60 bits, so the work per guess matters more than the memory; 4 MiB stays in
 * the processor's cache, whereas 64 MiB streamed through the cache that the page-serving core shares
 * and made public pages about twice as slow while reports were being submitted (ADR 0005).
 */
export const RECEIPT_PARAMS: Argon2Params = { memoryCost: 4096, timeCost: 64, parallelism: 1 };

/** The verifier of a receipt's secret: an encoded Argon2id hash that names its own parameters. */
export const hashReceiptSecret = (secret: string): Promise<string> => hashWith(secret, RECEIPT_PARAMS);

/**
 * The parameters an encoded Argon2id hash was made with, or null if it is not one. A report's receipt
 * key is derived with its verifier's parameters, so reports made before a change of parameters
 * (64 MiB, 3 passes until 2026-12-07) still open.
 */
export function argon2ParamsOf(encoded: string): Argon2Params | null {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  return m ? { memoryCost: Number(m[1]), timeCost: Number(m[2]), parallelism: Number(m[3]) } : null;
}

/** A 32-byte key derived from a receipt and a 16-byte salt with the given Argon2id parameters. */
export const keyFromReceipt = (receipt: string, salt: Buffer, parameters: Argon2Params): Promise<Buffer> => keyWith(receipt, salt, parameters);

/**
 * A 32-byte key derived from a high-entropy secret such as a recovery code: these
 * carry 80 bits or more, so a fast KDF is enough and guessing stays hopeless.
 */
export function keyFromSecret(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', typeof secret === 'string' ? Buffer.from(secret) : secret, Buffer.alloc(0), `nazaha:${purpose}`, 32));
}
