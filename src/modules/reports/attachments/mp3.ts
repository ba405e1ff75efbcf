// Removes ID3 tags from an MP3 as it streams: ID3v2 at the start (title, artist, comments, pictures,
// recording dates, sometimes the recording device) and ID3v1 in the last 128 bytes. Audio frames pass
// unchanged. Memory: one tag header and the last 128 bytes.
import { Transform, type TransformCallback } from 'node:stream';
import { noter } from './noted.js';

const V1 = 128;

export function mp3Stripper(stripped: string[]): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let skip = 0;
  let inTags = true;
  const note = noter(stripped);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, buf.length);
          buf = buf.subarray(n);
          skip -= n;
          if (skip > 0) break;
        }
        if (inTags) {
          if (buf.length < 10) break;
          if (buf.toString('latin1', 0, 3) !== 'ID3') {
            inTags = false;
            continue;
          }
          // Size: four 7-bit bytes (syncsafe), plus a 10-byte footer when flagged.
          const size = ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f);
          skip = 10 + size + (buf[5]! & 0x10 ? 10 : 0);
          note('mp3:id3v2');
          continue;
        }
        // Audio: everything but the last 128 bytes, which may be an ID3v1 tag.
        if (buf.length > V1) {
          this.push(buf.subarray(0, buf.length - V1));
          buf = buf.subarray(buf.length - V1);
        }
        break;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (buf.length === V1 && buf.toString('latin1', 0, 3) === 'TAG') note('mp3:id3v1');
      else if (buf.length) this.push(buf);
      done();
    },
  });
}
