import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type TestS3 } from '../../test/helpers/s3.js';
import { DiskStorage } from './disk.js';
import { BlobNotFoundError, type BlobStorage, createStorage } from './index.js';
import { S3Storage } from './s3.js';

async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const from = (...parts: (Buffer | string)[]) => Readable.from(parts.map((p) => Buffer.from(p)));

/** A stream that yields some data, then fails the way a refused upload does. */
function failing(after: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(after);
      } else setImmediate(() => this.destroy(new Error('refused by the sender')));
    },
  });
}

let diskDir: string;
let s3: TestS3;
const backends: Record<string, () => BlobStorage> = {};
beforeAll(async () => {
  diskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-disk-'));
  s3 = await startS3Server();
  const disk = createStorage({ kind: 'disk', dir: diskDir });
  const remote = createStorage(s3.config);
  backends.disk = () => disk;
  backends.s3 = () => remote;
});
afterAll(async () => {
  (backends.s3?.() as S3Storage | undefined)?.destroy();
  await s3?.close();
  fs.rmSync(diskDir, { recursive: true, force: true });
});

describe.each(['disk', 's3'])('%s storage', (name) => {
  const storage = () => backends[name]!();
  const key = (k: string) => `${name}-${crypto.randomBytes(4).toString('hex')}/${k}`;

  it('stores a stream, tells its size, gives it back, and replaces it', async () => {
    const k = key('a');
    expect(await storage().exists(k)).toBe(false);
    expect(await storage().put(k, from('hello ', 'world'))).toEqual({ size: 11 });
    expect(await storage().exists(k)).toBe(true);
    expect((await read(await storage().get(k))).toString()).toBe('hello world');
    await storage().put(k, from('again'));
    expect((await read(await storage().get(k))).toString()).toBe('again');
  });

  it('stores an empty object and one larger than a multipart part', async () => {
    const empty = key('empty');
    expect(await storage().put(empty, from())).toEqual({ size: 0 });
    expect((await read(await storage().get(empty))).length).toBe(0);
    const big = key('big');
    const data = crypto.randomBytes(6 * 1024 * 1024 + 3);
    const pieces = Array.from({ length: 7 }, (_, i) => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    expect(await storage().put(big, Readable.from(pieces))).toEqual({ size: data.length });
    expect((await read(await storage().get(big))).equals(data)).toBe(true);
  });

  it('reports a missing object as not found, and deleting it twice is fine', async () => {
    const k = key('gone');
    await expect(storage().get(k)).rejects.toBeInstanceOf(BlobNotFoundError);
    await storage().put(k, from('x'));
    await storage().delete(k);
    await storage().delete(k);
    expect(await storage().exists(k)).toBe(false);
  });

  it('deletes everything under a prefix and nothing beside it', async () => {
    const base = key('p');
    await storage().put(`${base}/1/a`, from('1'));
    await storage().put(`${base}/1/b`, from('2'));
    await storage().put(`${base}/12/c`, from('3'));
    await storage().deletePrefix(`${base}/1/`);
    expect(await storage().exists(`${base}/1/a`)).toBe(false);
    expect(await storage().exists(`${base}/1/b`)).toBe(false);
    expect(await storage().exists(`${base}/12/c`)).toBe(true);
    await storage().deletePrefix(`${base}/nothing-here/`);
  });

  it('keeps nothing of a stream that fails, and passes its error on', async () => {
    const k = key('failed');
    await expect(storage().put(k, failing(Buffer.alloc(1000, 1)))).rejects.toThrow('refused by the sender');
    expect(await storage().exists(k)).toBe(false);
  });

  it.each(['../escape', '/absolute', 'a/../b', 'a//b', 'a/.hidden', 'back\\slash', 'trailing/', '', 'a b', 'ü'])('refuses the key %j', async (bad) => {
    await expect(storage().put(bad, from('x'))).rejects.toThrow(/invalid storage key/);
    await expect(storage().get(bad)).rejects.toThrow(/invalid storage key/);
  });

  it('refuses a prefix that is not a folder', async () => {
    await expect(storage().deletePrefix('reports/1')).rejects.toThrow(/must end with/);
    await expect(storage().deletePrefix('../')).rejects.toThrow(/invalid storage key/);
  });
});

describe('disk storage', () => {
  it('writes files readable by the owner only and leaves no temporary file', async () => {
    const disk = new DiskStorage(diskDir);
    await disk.put('mode/x', from('x'));
    expect(fs.statSync(path.join(diskDir, 'mode', 'x')).mode & 0o777).toBe(0o600);
    await disk.put('mode/y', failing(Buffer.alloc(10))).catch(() => {});
    expect(fs.readdirSync(path.join(diskDir, 'mode'))).toEqual(['x']);
  });
});
