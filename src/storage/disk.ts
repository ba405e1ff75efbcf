// Blobs as files under one directory (DATA_DIR/attachments by default). A blob is written to a
// temporary dot-file in its final directory, flushed, then renamed: a reader or a crash never sees
// half an object under its key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, assertValidPrefix, BlobNotFoundError, type BlobStorage } from './blob.js';

export class DiskStorage implements BlobStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, stream: Readable): Promise<{ size: number }> {
    const target = this.file(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    const file = fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(stream, count, file);
      const handle = await fs.promises.open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, target);
    } catch (err) {
      // A failure can come before the file is even open: wait until it is closed, or the open
      // would create it after the removal and leave an empty temporary file behind.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
    return { size };
  }

  async get(key: string): Promise<Readable> {
    const file = this.file(key);
    // Opened before returning, so a missing object fails here rather than later in the stream.
    const handle = await fs.promises.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new BlobNotFoundError(key) : err;
    });
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.file(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertValidPrefix(prefix);
    await fs.promises.rm(path.join(this.root, ...prefix.slice(0, -1).split('/')), { recursive: true, force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.promises.stat(this.file(key))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
