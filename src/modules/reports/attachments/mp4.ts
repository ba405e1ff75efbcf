// Removes metadata from an MP4 as it streams: user data (udta: GPS position "©xyz", device, dates),
// metadata boxes (meta: Apple's location and camera keys, iTunes tags), UUID boxes (XMP) and the
// content of free space, at the top level and in the movie and track headers. Each such box becomes
// a "free" box of the same size filled with zeros, so every offset in the file stays right and the
// video plays unchanged. The movie header (moov, a small part of the file) is held in memory, up to
// 32 MiB; media data streams through.
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../errors.js';
import { noter } from './noted.js';

const MOOV_MAX = 32 * 1024 * 1024;
const ZERO = Buffer.alloc(64 * 1024);
const BLANKED = new Set(['udta', 'meta', 'uuid', 'free', 'skip']);
const damaged = (why: string) => new AppError('attachment_unreadable', { message: `MP4: ${why}` });

interface Box { type: string; header: number; size: number }

/** The box at `at`; size is the whole box (header included), up to `end` for a size of 0. */
function boxAt(buf: Buffer, at: number, end: number): Box | undefined {
  if (at + 8 > buf.length) return undefined;
  const size32 = buf.readUInt32BE(at);
  const type = buf.toString('latin1', at + 4, at + 8);
  if (size32 === 1) {
    if (at + 16 > buf.length) return undefined;
    const size = Number(buf.readBigUInt64BE(at + 8));
    if (size < 16) throw damaged('bad box size');
    return { type, header: 16, size };
  }
  if (size32 === 0) return { type, header: 8, size: end - at };
  if (size32 < 8) throw damaged('bad box size');
  return { type, header: 8, size: size32 };
}

/** Turns metadata boxes between `start` and `end` of a buffered box into zero-filled free space. */
function blank(buf: Buffer, start: number, end: number, note: (what: string) => void): void {
  let at = start;
  while (at < end) {
    const box = boxAt(buf, at, end);
    if (!box || at + box.size > end) throw damaged('box overruns its parent');
    if (BLANKED.has(box.type)) {
      if (box.type !== 'free' && box.type !== 'skip') note(`mp4:${box.type}`);
      buf.write('free', at + 4, 'latin1');
      buf.fill(0, at + box.header, at + box.size);
    } else if (box.type === 'trak') {
      blank(buf, at + box.header, at + box.size, note);
    }
    at += box.size;
  }
}

export function mp4Stripper(stripped: string[]): Transform {
  let buf: Buffer = Buffer.alloc(0);
  // Bytes left in the current top-level box, and what to do with them.
  let left = 0;
  let mode: 'pass' | 'zero' | 'hold' = 'pass';
  let toEnd = false;
  let held: Buffer[] = [];
  let heldSize = 0;
  const note = noter(stripped);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          if (left > 0 || toEnd) {
            if (buf.length === 0) break;
            const n = toEnd ? buf.length : Math.min(left, buf.length);
            const part = buf.subarray(0, n);
            buf = buf.subarray(n);
            if (!toEnd) left -= n;
            if (mode === 'pass') this.push(part);
            else if (mode === 'zero') for (let i = 0; i < n; i += ZERO.length) this.push(ZERO.subarray(0, Math.min(ZERO.length, n - i)));
            else {
              held.push(part);
              heldSize += n;
              if (left === 0) {
                const moov = Buffer.concat(held, heldSize);
                held = [];
                const header = boxAt(moov, 0, moov.length)!.header;
                blank(moov, header, moov.length, note);
                this.push(moov);
              }
            }
            continue;
          }
          const box = boxAt(buf, 0, Number.MAX_SAFE_INTEGER);
          if (!box) break;
          if (buf.readUInt32BE(0) === 0) {
            // A size of 0 means "to the end of the file": only media data may do that.
            if (box.type !== 'mdat') throw damaged(`${box.type} box open to the end`);
            toEnd = true;
            mode = 'pass';
            continue;
          }
          if (box.type === 'moov') {
            if (box.size > MOOV_MAX) throw damaged('movie header too large');
            mode = 'hold';
            held = [];
            heldSize = 0;
            left = box.size;
            continue;
          }
          if (BLANKED.has(box.type)) {
            if (box.type !== 'free' && box.type !== 'skip') note(`mp4:${box.type}`);
            const header = Buffer.from(buf.subarray(0, box.header));
            header.write('free', 4, 'latin1');
            this.push(header);
            buf = buf.subarray(box.header);
            mode = 'zero';
            left = box.size - box.header;
            continue;
          }
          mode = 'pass';
          left = box.size;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(left > 0 || buf.length > 0 ? damaged('the file ends inside a box') : null);
    },
  });
}
