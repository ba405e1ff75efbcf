// Removes metadata chunks from a PNG as it streams: text (tEXt, zTXt, iTXt: author, software,
// comments, sometimes GPS), EXIF (eXIf) and the modification time (tIME), and anything after IEND.
// Image chunks pass unchanged. Memory: a chunk header at most; chunk data streams through.
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../errors.js';
import { noter } from './noted.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const REMOVED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);
const damaged = (why: string) => new AppError('attachment_unreadable', { message: `PNG: ${why}` });

export function pngStripper(stripped: string[]): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let state: 'signature' | 'header' | 'data' | 'end' = 'signature';
  // Bytes left in the current chunk (data and CRC), and whether they are passed on.
  let left = 0;
  let keep = true;
  let sawHeader = false;
  let inEnd = false;
  const note = noter(stripped);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          if (state === 'end') {
            if (buf.length) note('png:trailing-data');
            buf = Buffer.alloc(0);
            break;
          }
          if (state === 'signature') {
            if (buf.length < 8) break;
            if (!buf.subarray(0, 8).equals(SIGNATURE)) throw damaged('bad signature');
            this.push(buf.subarray(0, 8));
            buf = buf.subarray(8);
            state = 'header';
            continue;
          }
          if (state === 'header') {
            if (buf.length < 8) break;
            const length = buf.readUInt32BE(0);
            const type = buf.toString('latin1', 4, 8);
            if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) throw damaged('bad chunk header');
            if (!sawHeader && type !== 'IHDR') throw damaged('IHDR is not first');
            sawHeader = true;
            inEnd = type === 'IEND';
            keep = !REMOVED.has(type);
            if (keep) this.push(buf.subarray(0, 8));
            else note(`png:${type}`);
            buf = buf.subarray(8);
            left = length + 4;
            state = 'data';
            continue;
          }
          // state === 'data'
          if (buf.length === 0) break;
          const n = Math.min(left, buf.length);
          if (keep) this.push(buf.subarray(0, n));
          buf = buf.subarray(n);
          left -= n;
          if (left === 0) state = inEnd ? 'end' : 'header';
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(state === 'end' ? null : damaged('the image ends before IEND'));
    },
  });
}
