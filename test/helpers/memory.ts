// Helpers of the flat-memory tests: bodies generated on the fly as an upload arrives, and the peak
// growth of the process's resident memory while some work runs.
import { Readable } from 'node:stream';

/** `total` bytes of `text` repeated, 64 KiB at a time, never held whole. */
export function generatedText(total: number, text: string): Readable {
  const block = Buffer.alloc(64 * 1024, text);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(Buffer.from(block.subarray(0, n)));
    },
  });
}

/** Runs `work` while sampling RSS every 20 ms; returns its result, the peak growth in MB and the seconds taken. */
export async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number; seconds: number; beforeMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = Date.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - before) / 2 ** 20, seconds: (Date.now() - started) / 1000, beforeMb: before / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}
