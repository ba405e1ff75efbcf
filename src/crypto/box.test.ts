import { describe, expect, it } from 'vitest';
import { DecryptionError, decrypt, encrypt, generateKeyPair, openSealed, randomBytes, seal } from './box.js';
import { ALPHABET, normalizeCode, randomCode } from './codes.js';
import { hashPassword, keyFromPassword, keyFromSecret, verifyPassword } from './kdf.js';

describe('sealed boxes', () => {
  it('open only with the matching private key', () => {
    const alice = generateKeyPair();
    const bob = generateKeyPair();
    const sealed = seal(Buffer.from('تقرير سري'), alice.publicKey);
    expect(openSealed(sealed, alice).toString()).toBe('تقرير سري');
    expect(() => openSealed(sealed, bob)).toThrow(DecryptionError);
    sealed[sealed.length - 1]! ^= 1;
    expect(() => openSealed(sealed, alice)).toThrow(DecryptionError);
  });
});

describe('secret-key encryption', () => {
  it('round-trips, and refuses a wrong key, a wrong context or an altered byte', () => {
    const key = randomBytes(32);
    const box = encrypt(Buffer.from('ⵜⴰⵣⴷⴷⵉⴳⵜ'), key, 'user:1');
    expect(decrypt(box, key, 'user:1').toString()).toBe('ⵜⴰⵣⴷⴷⵉⴳⵜ');
    expect(() => decrypt(box, randomBytes(32), 'user:1')).toThrow(DecryptionError);
    expect(() => decrypt(box, key, 'user:2')).toThrow(DecryptionError);
    const altered = Buffer.from(box);
    altered[30]! ^= 1;
    expect(() => decrypt(altered, key, 'user:1')).toThrow(DecryptionError);
    expect(() => decrypt(Buffer.alloc(5), key)).toThrow(DecryptionError);
  });

  it('uses a fresh nonce each time', () => {
    const key = randomBytes(32);
    expect(encrypt(Buffer.from('x'), key).equals(encrypt(Buffer.from('x'), key))).toBe(false);
  });
});

describe('password hashing and derived keys', () => {
  it('verifies the right password only, with an Argon2id hash', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await verifyPassword(encoded, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(encoded, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('derives the same key from the same password and salt, another from another salt', async () => {
    const salt = randomBytes(16);
    const a = await keyFromPassword('une phrase de passe', salt);
    expect(a).toHaveLength(32);
    expect((await keyFromPassword('une phrase de passe', salt)).equals(a)).toBe(true);
    expect((await keyFromPassword('une phrase de passe', randomBytes(16))).equals(a)).toBe(false);
    expect(keyFromSecret('ABCD', 'x').equals(keyFromSecret('ABCD', 'y'))).toBe(false);
  });
});

describe('human codes', () => {
  it('are groups of four unambiguous characters', () => {
    const code = randomCode(5);
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    for (const c of code.replace(/-/g, '')) expect(ALPHABET).toContain(c);
    expect(new Set(Array.from({ length: 50 }, () => randomCode(5))).size).toBe(50);
  });

  it('are read back whatever the case, spacing or look-alike letters', () => {
    expect(normalizeCode('7kq2 m9xd-4htp zz3q')).toBe('7KQ2-M9XD-4HTP-ZZ3Q');
    expect(normalizeCode('abOl-iI00')).toBe('AB01-1100');
  });
});
