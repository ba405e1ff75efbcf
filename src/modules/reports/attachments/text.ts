// Plain text is accepted as UTF-8 without binary control characters, checked to the last byte: a
// file that starts as text and turns into something else is refused.
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../errors.js';
import { forbiddenControl } from './detect.js';

const notText = () => new AppError('attachment_type_mismatch', { message: 'text file with bytes that are not UTF-8 text' });

export function textChecker(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return done(notText());
      }
      done(forbiddenControl.test(text) ? notText() : null, chunk);
    },
    flush(done: TransformCallback) {
      try {
        decoder.decode();
        done();
      } catch {
        done(notText());
      }
    },
  });
}
