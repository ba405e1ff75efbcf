// Public-key sealing (X25519 sealed boxes) and secret-key encryption (XChaCha20-Poly1305) with
// libsodium. Everything here is synchronous and fast (microseconds): the slow part, deriving keys
// from passwords, is in kdf.ts and runs off the event loop.
import sodium from 'sodium-native';

export interface KeyPair { publicKey: Buffer; privateKey: Buffer }

export class DecryptionError extends Error {
  constructor() {
    super('decryption failed: wrong key or altered data');
  }
}

export function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  sodium.randombytes_buf(b);
  return b;
}

export function generateKeyPair(): KeyPair {
  const publicKey = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
  const privateKey = Buffer.alloc(sodium.crypto_box_SECRETKEYBYTES);
  sodium.crypto_box_keypair(publicKey, privateKey);
  return { publicKey, privateKey };
}

/** Encrypts to a public key; only the holder of the private key can open it, the sender cannot. */
export function seal(message: Uint8Array, publicKey: Uint8Array): Buffer {
  const out = Buffer.alloc(message.length + sodium.crypto_box_SEALBYTES);
  sodium.crypto_box_seal(out, message, publicKey);
  return out;
}

export function openSealed(sealed: Uint8Array, keys: KeyPair): Buffer {
  if (sealed.length < sodium.crypto_box_SEALBYTES) throw new DecryptionError();
  const out = Buffer.alloc(sealed.length - sodium.crypto_box_SEALBYTES);
  if (!sodium.crypto_box_seal_open(out, sealed, keys.publicKey, keys.privateKey)) throw new DecryptionError();
  return out;
}

export const SECRET_KEY_BYTES = 32;
const NONCE = 24;
const TAG = 16;

/**
 * Authenticated encryption with a 32-byte key; output is nonce || ciphertext || tag. `context`
 * (associated data) binds the ciphertext to where it belongs, e.g. "user:12:private-key".
 */
export function encrypt(message: Uint8Array, key: Uint8Array, context = ''): Buffer {
  const nonce = randomBytes(NONCE);
  const out = Buffer.alloc(NONCE + message.length + TAG);
  nonce.copy(out, 0);
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out.subarray(NONCE), message, Buffer.from(context), null, nonce, key);
  return out;
}

export function decrypt(box: Uint8Array, key: Uint8Array, context = ''): Buffer {
  if (box.length < NONCE + TAG) throw new DecryptionError();
  const out = Buffer.alloc(box.length - NONCE - TAG);
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, null, box.subarray(NONCE), Buffer.from(context), box.subarray(0, NONCE), key);
  } catch {
    throw new DecryptionError();
  }
  return out;
}

export function wipe(buf: Uint8Array): void {
  sodium.sodium_memzero(buf);
}
