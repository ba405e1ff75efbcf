import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, randomBytes } from './box.js';
import { CHUNK, decryptStream, encryptedSize, encryptStream, newFileKey, openFileKey, sealFileKey } from './stream.js';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `data` in pieces of awkward sizes, so chunk boundaries never line up with writes. */
const pieces = (data: Buffer, size = 7919) => Readable.from((function* () {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
})());

const encrypt = (data: Buffer, key: Buffer, size?: number) => collect(pieces(data, size).pipe(encryptStream(key)));
const decrypt = (data: Buffer, key: Buffer, size?: number) => collect(pieces(data, size).pipe(decryptStream(key)));

describe('secretstream files', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 12345])('round-trips %i bytes and has the announced size', async (n) => {
    const key = newFileKey();
    const plain = randomBytes(n);
    const sealed = await encrypt(plain, key);
    expect(sealed.length).toBe(encryptedSize(n));
    expect(Buffer.compare(await decrypt(sealed, key, 65_537), plain)).toBe(0);
  });

  it('refuses the wrong key', async () => {
    const sealed = await encrypt(randomBytes(1000), newFileKey());
    await expect(decrypt(sealed, newFileKey())).rejects.toThrow(/does not authenticate/);
  });

  it('detects a flipped bit anywhere, and says nothing of the altered chunk', async () => {
    const key = newFileKey();
    const plain = randomBytes(2 * CHUNK + 500);
    const sealed = await encrypt(plain, key);
    for (const at of [2, 10, 40, CHUNK, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 1;
      await expect(decrypt(bad, key), `byte ${at}`).rejects.toThrow(/encrypted file rejected/);
    }
  });

  it('detects truncation at a chunk boundary, inside a chunk, and of the header', async () => {
    const key = newFileKey();
    const sealed = await encrypt(randomBytes(3 * CHUNK), key);
    const frame = CHUNK + 17;
    for (const length of [28 + 2 * frame, 28 + frame + 100, 28 + 1, 10, 0]) {
      await expect(decrypt(sealed.subarray(0, length), key), `length ${length}`).rejects.toThrow(/truncated|does not authenticate/);
    }
  });

  it('detects reordered chunks and data appended after the final chunk', async () => {
    const key = newFileKey();
    const sealed = await encrypt(randomBytes(3 * CHUNK), key);
    const frame = CHUNK + 17;
    const head = sealed.subarray(0, 28);
    const f = [0, 1, 2].map((i) => sealed.subarray(28 + i * frame, 28 + (i + 1) * frame));
    await expect(decrypt(Buffer.concat([head, f[1]!, f[0]!, f[2]!]), key)).rejects.toThrow(/does not authenticate/);
    await expect(decrypt(Buffer.concat([sealed, Buffer.from('more')]), key)).rejects.toThrow(/after the final chunk|does not authenticate/);
  });

  it('streams 64 MiB through encryption and decryption in one pipeline', async () => {
    const key = newFileKey();
    let produced = 0;
    const total = 64 * 1024 * 1024;
    const block = randomBytes(1 << 20);
    const source = new Readable({
      read() {
        produced += block.length;
        this.push(produced > total ? null : block);
      },
    });
    let seen = 0;
    await pipeline(source, encryptStream(key), decryptStream(key), async function* (chunks) {
      for await (const c of chunks) seen += (c as Buffer).length;
    });
    expect(seen).toBe(total);
  });

  it('seals the file key to the report key', () => {
    const report = generateKeyPair();
    const key = newFileKey();
    const sealed = sealFileKey(key, report.publicKey);
    expect(Buffer.compare(openFileKey(sealed, report), key)).toBe(0);
    expect(() => openFileKey(sealed, generateKeyPair())).toThrow();
  });
});
