// One upload read once, written to two places: the cleaned copy and the kept original. Neither side
// may run ahead with the other's data in memory, so the tee takes a chunk only once both branches
// accepted the last one: the slower reader sets the pace, and memory stays at the two branches'
// buffers (their high-water marks) whatever the file's size.
import { Writable } from 'node:stream';

/**
 * A writable that copies every chunk to `a` and `b`, with backpressure from both. Ending it ends
 * both; destroying it before its end (an upstream failure, e.g. a size limit) destroys both with the
 * same error.
 * A branch that closes before it was ended (its reader gave up or failed) fails the tee, which then
 * destroys the other branch: a half-written pair never looks complete.
 */
export function tee(a: Writable, b: Writable): Writable {
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      let left = 2;
      let failed = false;
      const one = (err?: Error | null) => {
        if (failed) return;
        if (err) {
          failed = true;
          return done(err);
        }
        if (--left === 0) done();
      };
      a.write(chunk, one);
      b.write(chunk, one);
    },
    final(done) {
      a.end();
      b.end();
      done();
    },
    destroy(err, done) {
      // Also called after a normal end (autoDestroy), when the branches still hold data for their readers.
      if (err || !out.writableFinished) {
        const reason = err ?? new Error('the upload stopped before its end');
        a.destroy(reason);
        b.destroy(reason);
      }
      done(err);
    },
  });
  // Errors reach each branch's reader through its own pipeline; a branch not read yet (the original's,
  // during the type check) must not turn a destroy into an uncaught 'error' event.
  for (const branch of [a, b]) branch.on('error', () => {});
  // A write whose callback is waiting on a destroyed branch is never called back (Node drops it), so
  // an early close is watched for here rather than through the write callbacks.
  for (const branch of [a, b]) {
    branch.once('close', () => {
      if (!branch.writableFinished && !out.destroyed) out.destroy(branch.errored ?? new Error('a branch of the upload closed before the end'));
    });
  }
  return out;
}
