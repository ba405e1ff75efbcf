import { describe, expect, it } from 'vitest';
import { argon2ParamsOf, hashPassword, hashReceiptSecret, keyFromReceipt, RECEIPT_PARAMS, verifyPassword } from './kdf.js';

describe('receipt key derivation', () => {
  it('hashes receipt secrets with the receipt parameters and reads them back from the verifier', async () => {
    const verifier = await hashReceiptSecret('M9XD4HTPZZ3Q');
    expect(argon2ParamsOf(verifier)).toEqual(RECEIPT_PARAMS);
    expect(await verifyPassword(verifier, 'M9XD4HTPZZ3Q')).toBe(true);
    expect(await verifyPassword(verifier, 'M9XD4HTPZZ3R')).toBe(false);
    // Passwords keep their own, larger parameters.
    expect(argon2ParamsOf(await hashPassword('correct horse battery staple'))).toEqual({ memoryCost: 65536, timeCost: 3, parallelism: 1 });
  });

  it('refuses to read parameters from anything but an encoded Argon2id hash', () => {
    expect(argon2ParamsOf('$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA')).toBeNull();
    expect(argon2ParamsOf('$2b$12$abcdefghijklmnopqrstuv')).toBeNull();
    expect(argon2ParamsOf('placeholder')).toBeNull();
  });

  it('derives the same key from the same receipt, salt and parameters, and another key if any of them differs', async () => {
    const salt = Buffer.alloc(16, 7);
    const key = await keyFromReceipt('7KQ2-M9XD-4HTP-ZZ3Q-88AB', salt, RECEIPT_PARAMS);
    expect(key).toHaveLength(32);
    expect(await keyFromReceipt('7KQ2-M9XD-4HTP-ZZ3Q-88AB', salt, RECEIPT_PARAMS)).toEqual(key);
    expect(await keyFromReceipt('7KQ2-M9XD-4HTP-ZZ3Q-88AC', salt, RECEIPT_PARAMS)).not.toEqual(key);
    expect(await keyFromReceipt('7KQ2-M9XD-4HTP-ZZ3Q-88AB', Buffer.alloc(16, 8), RECEIPT_PARAMS)).not.toEqual(key);
    expect(await keyFromReceipt('7KQ2-M9XD-4HTP-ZZ3Q-88AB', salt, { memoryCost: 65536, timeCost: 3, parallelism: 1 })).not.toEqual(key);
  });
});
