// Streaming file encryption with libsodium's secretstream (XChaCha20-Poly1305): the plaintext is cut
// into 64 KiB chunks, each encrypted and authenticated on its own and chained to the previous one,
// the last one marked final. Decryption checks every chunk before passing it on, and refuses a stream
// that was reordered, altered, or cut before its final chunk. Memory stays at about one chunk.
//
// Format: "NZS1" || secretstream header (24 bytes) || frames of (chunk + 17 bytes); every chunk but
// the last holds exactly CHUNK bytes.
import { Transform, type TransformCallback } from 'node:stream';
import sodium from 'sodium-native';
import { type KeyPair, openSealed, randomBytes, seal } from './box.js';

export const CHUNK = 64 * 1024;
const MAGIC = Buffer.from('NZS1');
const HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
const FRAME = CHUNK + ABYTES;
const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
export const FILE_KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES;

export class StreamDecryptionError extends Error {
  constructor(reason: string) {
    super(`encrypted file rejected: ${reason}`);
  }
}

/** A fresh random key for one file. */
export const newFileKey = (): Buffer => randomBytes(FILE_KEY_BYTES);

/** Size of the encrypted form of `plainSize` bytes. */
export function encryptedSize(plainSize: number): number {
  return MAGIC.length + HEADER + plainSize + (Math.floor(plainSize / CHUNK) + (plainSize % CHUNK === 0 && plainSize > 0 ? 0 : 1)) * ABYTES;
}

/**
 * Collects incoming bytes and hands them out in pieces of `size`; keeps at most one piece plus one
 * incoming chunk, and copies only when a piece straddles incoming chunks.
 */
class Chunker {
  private parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    if (b.length) {
      this.parts.push(b);
      this.length += b.length;
    }
  }
  take(size: number): Buffer {
    const first = this.parts[0];
    let out: Buffer;
    if (first && first.length >= size) {
      out = first.subarray(0, size);
      if (first.length === size) this.parts.shift();
      else this.parts[0] = first.subarray(size);
    } else {
      out = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const p = this.parts[0]!;
        const n = Math.min(p.length, size - filled);
        p.copy(out, filled, 0, n);
        filled += n;
        if (n === p.length) this.parts.shift();
        else this.parts[0] = p.subarray(n);
      }
    }
    this.length -= size;
    return out;
  }
}

/** The key is used at once: the caller may wipe it as soon as this returns. */
export function encryptStream(key: Uint8Array): Transform {
  if (key.length !== FILE_KEY_BYTES) throw new RangeError('file key must be 32 bytes');
  const state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
  const header = Buffer.alloc(HEADER);
  sodium.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
  const pending = new Chunker();
  const frame = (plain: Buffer, tag: number) => {
    const out = Buffer.allocUnsafe(plain.length + ABYTES);
    sodium.crypto_secretstream_xchacha20poly1305_push(state, out, plain, null, tag);
    return out;
  };
  let started = false;
  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        started = true;
        this.push(Buffer.concat([MAGIC, header]));
      }
      pending.push(data);
      // A chunk is sent only once more data follows it: the last one must carry the final tag.
      while (pending.length > CHUNK) this.push(frame(pending.take(CHUNK), TAG_MESSAGE));
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(Buffer.concat([MAGIC, header]));
      this.push(frame(pending.take(pending.length), TAG_FINAL));
      sodium.sodium_memzero(state);
      done();
    },
  });
}

export function decryptStream(fileKey: Uint8Array): Transform {
  if (fileKey.length !== FILE_KEY_BYTES) throw new RangeError('file key must be 32 bytes');
  // Own copy, wiped once the header is read: the caller may wipe theirs as soon as this returns.
  const key = Buffer.from(fileKey);
  const state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
  const tag = Buffer.alloc(1);
  const pending = new Chunker();
  let started = false;
  let finished = false;
  const open = (cipher: Buffer): Buffer => {
    const out = Buffer.allocUnsafe(cipher.length - ABYTES);
    try {
      sodium.crypto_secretstream_xchacha20poly1305_pull(state, out, tag, cipher, null);
    } catch {
      throw new StreamDecryptionError('a chunk does not authenticate (wrong key, or altered or reordered data)');
    }
    return out;
  };
  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      try {
        pending.push(data);
        if (!started) {
          if (pending.length < MAGIC.length + HEADER) return done();
          const head = pending.take(MAGIC.length + HEADER);
          if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new StreamDecryptionError('not an encrypted file of this format');
          sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, head.subarray(MAGIC.length), key);
          sodium.sodium_memzero(key);
          started = true;
        }
        // Keep the last frame back until the end: only the final one may be shorter.
        while (pending.length > FRAME) {
          if (finished) throw new StreamDecryptionError('data after the final chunk');
          const plain = open(pending.take(FRAME));
          if (tag[0] === TAG_FINAL) finished = true;
          else if (tag[0] !== TAG_MESSAGE) throw new StreamDecryptionError('unexpected chunk tag');
          this.push(plain);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!started) throw new StreamDecryptionError('truncated before the header');
        if (finished) throw new StreamDecryptionError('data after the final chunk');
        if (pending.length < ABYTES) throw new StreamDecryptionError('truncated: the final chunk is missing');
        const plain = open(pending.take(pending.length));
        if (tag[0] !== TAG_FINAL) throw new StreamDecryptionError('truncated: the final chunk is missing');
        this.push(plain);
        sodium.sodium_memzero(state);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** Seals a file key to a report's public key: only holders of the report's private key can open it. */
export const sealFileKey = (fileKey: Uint8Array, reportPublicKey: Uint8Array): Buffer => seal(fileKey, reportPublicKey);

export function openFileKey(sealed: Uint8Array, reportKeys: KeyPair): Buffer {
  const key = openSealed(sealed, reportKeys);
  if (key.length !== FILE_KEY_BYTES) throw new StreamDecryptionError('the sealed file key has the wrong length');
  return key;
}
