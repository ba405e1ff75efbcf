// Removes metadata from a JPEG as it streams: EXIF (camera, time, GPS position, thumbnail), XMP,
// IPTC, comments and vendor segments, and anything after the end of the image. The image data and
// what decoders need (JFIF, ICC colour profile, Adobe colour transform, tables, frames, scans) pass
// unchanged, so the picture is pixel for pixel the same. Memory: at most one segment (64 KiB).
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../errors.js';
import { noter } from './noted.js';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

/** Which segments stay, and the name a removed one is reported under. */
function verdict(marker: number, payload: Buffer): { keep: true } | { keep: false; what: string } {
  const id = payload.toString('latin1', 0, Math.min(payload.length, 32));
  if (marker === COM) return { keep: false, what: 'jpeg:comment' };
  if (marker < 0xe0 || marker > 0xef) return { keep: true };
  if (marker === 0xe0 && (id.startsWith('JFIF\0') || id.startsWith('JFXX\0'))) return { keep: true };
  if (marker === 0xe2 && id.startsWith('ICC_PROFILE\0')) return { keep: true };
  if (marker === 0xee && id.startsWith('Adobe')) return { keep: true };
  if (marker === 0xe1) return { keep: false, what: id.startsWith('Exif\0') ? 'jpeg:exif' : id.startsWith('http://ns.adobe.com/') ? 'jpeg:xmp' : 'jpeg:app1' };
  if (marker === 0xed) return { keep: false, what: 'jpeg:iptc' };
  return { keep: false, what: `jpeg:app${marker - 0xe0}` };
}

const damaged = (why: string) => new AppError('attachment_unreadable', { message: `JPEG: ${why}` });

export function jpegStripper(stripped: string[]): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let state: 'start' | 'marker' | 'scan' | 'end' = 'start';
  const note = noter(stripped);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          if (state === 'end') {
            if (buf.length) note('jpeg:trailing-data');
            buf = Buffer.alloc(0);
            break;
          }
          if (state === 'start') {
            if (buf.length < 2) break;
            if (buf[0] !== 0xff || buf[1] !== SOI) throw damaged('no start of image');
            this.push(buf.subarray(0, 2));
            buf = buf.subarray(2);
            state = 'marker';
            continue;
          }
          if (state === 'scan') {
            // Entropy-coded data: a marker is 0xFF followed by neither 0x00 (a stuffed byte) nor
            // RST0-7 (restart markers, part of the scan). Pass everything before it on.
            let i = buf.indexOf(0xff);
            while (i !== -1 && i + 1 < buf.length && (buf[i + 1] === 0x00 || (buf[i + 1]! >= 0xd0 && buf[i + 1]! <= 0xd7))) i = buf.indexOf(0xff, i + 2);
            if (i === -1) {
              this.push(buf);
              buf = Buffer.alloc(0);
              break;
            }
            if (i + 1 >= buf.length) {
              // 0xFF at the end of what arrived: wait for the next byte.
              if (i > 0) this.push(buf.subarray(0, i));
              buf = buf.subarray(i);
              break;
            }
            if (i > 0) this.push(buf.subarray(0, i));
            buf = buf.subarray(i);
            state = 'marker';
            continue;
          }
          // state === 'marker': 0xFF, optional 0xFF fill bytes, then the marker code.
          let i = 0;
          while (i < buf.length && buf[i] === 0xff) i++;
          if (i === buf.length) break;
          if (i === 0) throw damaged('expected a marker');
          const marker = buf[i]!;
          if (marker === EOI) {
            this.push(Buffer.from([0xff, EOI]));
            buf = buf.subarray(i + 1);
            state = 'end';
            continue;
          }
          if (marker === SOI || marker === 0x00) throw damaged('unexpected marker');
          if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
            this.push(Buffer.from([0xff, marker]));
            buf = buf.subarray(i + 1);
            continue;
          }
          if (buf.length < i + 3) break;
          const length = buf.readUInt16BE(i + 1);
          if (length < 2) throw damaged('segment too short');
          const end = i + 1 + length;
          if (buf.length < end) break;
          const v = verdict(marker, buf.subarray(i + 3, end));
          if (v.keep) this.push(Buffer.concat([Buffer.from([0xff, marker]), buf.subarray(i + 1, end)]));
          else note(v.what);
          buf = buf.subarray(end);
          if (marker === SOS) state = 'scan';
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(state === 'end' ? null : damaged('the image ends before its end marker'));
    },
  });
}
