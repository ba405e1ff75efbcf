// Garbage-collection pauses of the calling process while it watches: how many, ms in all, the longest.
// Used by bench/report.ts (the portal's pauses) and bench/report-load.mjs (the visitors' client's own).
import { PerformanceObserver } from 'node:perf_hooks';

/** Starts counting; `stop()` ends it and returns the tally. */
export function watchGcPauses() {
  const pauses = { count: 0, total: 0, max: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      pauses.count++;
      pauses.total += e.duration;
      pauses.max = Math.max(pauses.max, e.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return pauses;
    },
  };
}
