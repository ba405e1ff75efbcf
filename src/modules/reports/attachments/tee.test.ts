import { PassThrough, pipeline, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tee } from './tee.js';

const CHUNK = 64 * 1024;

/** A source of `chunks` chunks made on demand, counting how many were asked for. */
function source(chunks: number) {
  const made = { count: 0 };
  const stream = new Readable({
    read() {
      if (made.count === chunks) return void this.push(null);
      this.push(Buffer.alloc(CHUNK, made.count++ % 251));
    },
  });
  return { stream, made };
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('tee', () => {
  it('gives both branches every byte, in order', async () => {
    const { stream } = source(40);
    const a = new PassThrough();
    const b = new PassThrough();
    pipeline(stream, tee(a, b), () => {});
    const [x, y] = await Promise.all([collect(a), collect(b)]);
    expect(x.length).toBe(40 * CHUNK);
    expect(x.equals(y)).toBe(true);
  });

  it('keeps what a branch has not read yet when the source ends', async () => {
    // Small enough for the branches' buffers: the tee ends before anyone reads.
    const a = new PassThrough();
    const b = new PassThrough();
    await new Promise((resolve) => pipeline(Readable.from([Buffer.from('a short note')]), tee(a, b), resolve));
    expect((await collect(a)).toString()).toBe('a short note');
    expect((await collect(b)).toString()).toBe('a short note');
  });

  it('reads the source only as fast as the slower branch: nothing piles up while one waits', async () => {
    const { stream, made } = source(1000);
    const a = new PassThrough();
    const b = new PassThrough();
    pipeline(stream, tee(a, b), () => {});
    // `a` is drained at once; `b` is not read at all for a while.
    let drained = 0;
    a.on('data', (c: Buffer) => (drained += c.length));
    await tick();
    await tick();
    const stalled = made.count;
    // The source's, the tee's and b's buffers: a few chunks, not the 1000 on offer.
    expect(stalled).toBeLessThan(10);
    await tick();
    expect(made.count).toBe(stalled);
    expect(drained).toBeLessThanOrEqual(stalled * CHUNK);
    // Once b is read, everything flows.
    const rest = await collect(b);
    expect(rest.length).toBe(1000 * CHUNK);
  });

  it('fails when a branch gives up, and stops the other', async () => {
    const { stream } = source(1000);
    const a = new PassThrough();
    const b = new PassThrough();
    const split = tee(a, b);
    const ended = new Promise<Error | null | undefined>((resolve) => pipeline(stream, split, resolve));
    b.resume();
    // a's reader fails after the first chunk, while the tee waits on it.
    a.once('data', () => a.destroy(new Error('reader failed')));
    expect(await ended).toMatchObject({ message: 'reader failed' });
    expect(b.destroyed).toBe(true);
    expect(stream.destroyed).toBe(true);
  });

  it('passes an upstream failure (e.g. a size limit) to both branches', async () => {
    const a = new PassThrough();
    const b = new PassThrough();
    const failing = new Readable({
      read() {
        this.destroy(new Error('over the limit'));
      },
    });
    pipeline(failing, tee(a, b), () => {});
    await expect(collect(a)).rejects.toThrow('over the limit');
    await expect(collect(b)).rejects.toThrow('over the limit');
  });
});
