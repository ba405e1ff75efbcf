// npm run bench:report — what submitting reports costs the portal, and whether public pages keep
// their latency meanwhile. The portal runs in this process's main thread (so its event-loop delay
// can be measured); the load (autocannon, and reporters walking the real HTML form) runs in a
// child process. Phases, one run:
//   1. idle: GET /fr/ under autocannon alone (baseline p99);
//   2. loaded: the same, while REPORTERS reporters submit complete reports in a loop.
// Prints the server time per submission, the public page p99 in both phases and their ratio, and the
// event-loop delay p99 in each phase. Targets (issue): loaded p99 <= 2x idle p99; loop delay p99 <= 20 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fork } from 'node:child_process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPORTERS = Number(process.env.BENCH_REPORTERS ?? 20);
const CONNECTIONS = 10;
// Public pages arrive at a fixed rate, as visitors do (an open loop): a closed loop of connections
// would saturate the CPU on its own and turn the page p99 into a queue length. 0 = as fast as possible.
const PAGE_RATE = Number(process.env.BENCH_PAGE_RATE ?? 200);

// The load runs in a child process (bench/report-load.mjs), so it never shares this event loop.
interface Histogram { p50: number; p99: number; average: number }
interface Phase { latency: Histogram; requests: Histogram; non2xx: number; errors: number }

{
  const { loadConfig } = await import('../src/config.js');
  const { startPortal } = await import('../src/server.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-bench-report-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'production', RATE_LIMIT_MAX: '1000000', SUBMISSIONS_PER_HOUR: '10000', JOBS: 'false', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });
  const portal = await startPortal(config);
  const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
  const phase = async (reporters: number) => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const result = await new Promise<{ page: Phase; submissions: number[] }>((resolve, reject) => {
      const child = fork(new URL('./report-load.mjs', import.meta.url), [address, String(reporters), String(SECONDS), String(CONNECTIONS), String(PAGE_RATE)], { execArgv: [] });
      child.once('message', (m) => resolve(m as { page: Phase; submissions: number[] }));
      child.once('error', reject);
      child.once('exit', (code) => { if (code) reject(new Error(`load process exited with ${code}`)); });
    });
    delay.disable();
    return { ...result, loopP99: delay.percentile(99) / 1e6 };
  };
  const idle = await phase(0);
  const loaded = await phase(REPORTERS);
  await portal.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const sorted = [...loaded.submissions].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? NaN;
  const fmt = (n: number | undefined) => (n ?? NaN).toFixed(1).padStart(8);
  console.log(`nazaha bench:report — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, database ${portal.database.label.split(':')[0]}`);
  console.log(`${SECONDS} s per phase; page load: autocannon ${CONNECTIONS} connections on GET /fr/ with Accept-Encoding: br, gzip, ${PAGE_RATE ? `${PAGE_RATE} requests/s in all` : 'as fast as they can'}; ${REPORTERS} reporters in the loaded phase\n`);
  console.log('phase     page req/s   page p50 ms   page p99 ms   loop p99 ms   non-2xx');
  for (const [name, p] of [['idle', idle], ['loaded', loaded]] as const) {
    console.log(`${name.padEnd(8)} ${fmt(p.page.requests.average)}     ${fmt(p.page.latency.p50)}      ${fmt(p.page.latency.p99)}      ${fmt(p.loopP99)}   ${String(p.page.non2xx + p.page.errors).padStart(6)}`);
  }
  console.log(`\nsubmissions: ${loaded.submissions.length} in ${SECONDS} s; server time per submission (final POST, seen by the client): median ${median.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
  const ratio = loaded.page.latency.p99 / idle.page.latency.p99;
  console.log(`page p99 loaded / idle: ${ratio.toFixed(2)}x (target <= 2x: ${ratio <= 2 ? 'MET' : 'NOT MET'})`);
  console.log(`event-loop delay p99 while loaded: ${loaded.loopP99.toFixed(1)} ms (target <= 20 ms: ${loaded.loopP99 <= 20 ? 'MET' : 'NOT MET'})`);
  if (idle.page.non2xx + idle.page.errors + loaded.page.non2xx + loaded.page.errors > 0) process.exitCode = 1;
}
