// HTTP throughput of the portal against a raw Fastify hello-world baseline (`npm run bench:http`).
// Both servers run in child processes; autocannon drives them from this process, so the load
// generator and the server under test never share an event loop. See bench/README.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// --- autocannon (no type declarations are installed: the few fields used here are typed below) ---

interface Histogram { average: number; p50: number; p99: number; max: number }
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonOptions { url: string; connections: number; duration: number; headers: Record<string, string> }
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

// --- settings -----------------------------------------------------------------------------------

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// What a browser sends: the portal compresses every response above 1 KiB.
const HEADERS = { 'accept-encoding': 'br, gzip' };
// The portal's configuration accepts at most 1,000,000 requests per window (src/config.ts), so that
// is the largest limit it can be given: far above what one benchmark run sends per client.
const RATE_LIMIT_MAX = 1_000_000;
const TARGETS = { homeVsBaseline: 0.25, homeP99Ms: 25 };

if (!Number.isFinite(SECONDS) || SECONDS < 1) {
  console.error(`BENCH_SECONDS must be a number of seconds >= 1 (got ${JSON.stringify(process.env.BENCH_SECONDS)}).`);
  process.exit(2);
}

// --- child processes ----------------------------------------------------------------------------

class Child {
  readonly proc: ChildProcess;
  private output = '';
  exited: Promise<number | null>;

  constructor(readonly name: string, args: string[], env: NodeJS.ProcessEnv) {
    this.proc = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get log(): string {
    return this.output.trim();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

const children: Child[] = [];
let tempDir: string | undefined;

async function cleanup(): Promise<void> {
  await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nInterrupted (${signal}): stopping the servers.`);
    void cleanup().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Probe { status: number; encoding: string; bytes: number }

/** One request with the benchmark's headers: status, content encoding and size on the wire. */
function probe(url: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: HEADERS, timeout: 2000 }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function waitUntilAnswering(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.running) {
      throw new Error(`${child.name} exited with code ${child.proc.exitCode ?? child.proc.signalCode} before answering ${url}:\n${child.log}`);
    }
    try {
      if ((await probe(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
};

const BASELINE_SOURCE = `
const app = require('fastify')({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.listen({ host: process.env.HOST, port: Number(process.env.PORT) }).catch((err) => { console.error(err); process.exit(1); });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

// --- measuring ----------------------------------------------------------------------------------

interface Row { name: string; url: string; probe: Probe; result: AutocannonResult; warmup: AutocannonResult; stall: number | undefined }

/** Linux only: microseconds during which some runnable task waited for a CPU (pressure stall information). */
function cpuStallMicros(): number | undefined {
  try {
    return Number(/^some .*total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

async function measure(name: string, url: string): Promise<Row> {
  const first = await probe(url);
  if (first.status !== 200) throw new Error(`${name}: GET ${url} answered ${first.status}, expected 200`);
  process.stdout.write(`  ${name.padEnd(28)} warm-up ${WARMUP_SECONDS} s, measure ${SECONDS} s … `);
  const warmup = await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers: HEADERS });
  const [stall0, t0] = [cpuStallMicros(), Date.now()];
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: HEADERS });
  const stall1 = cpuStallMicros();
  const stall = stall0 === undefined || stall1 === undefined ? undefined : (stall1 - stall0) / 1000 / (Date.now() - t0);
  process.stdout.write(`${Math.round(result.requests.average)} req/s\n`);
  return { name, url, probe: first, result, warmup, stall };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The commit the build comes from, when this is a git checkout (the numbers belong to a version). */
function codeVersion(builtAt: Date): string {
  const built = `dist built ${builtAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ` + ${changed} uncommitted file(s)` : ''}, ${built}`;
  } catch {
    return built;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function main(): Promise<number> {
  const mainJs = path.join(root, 'dist', 'src', 'main.js');
  if (!fs.existsSync(mainJs)) {
    console.error('dist/src/main.js is missing: the benchmark measures the compiled portal. Run `npm run build` first.');
    return 2;
  }
  if (newestMtime(path.join(root, 'src')) > fs.statSync(mainJs).mtimeMs) {
    console.warn('Warning: src/ has changed since the last build; run `npm run build` to measure the current code.\n');
  }

  const databaseUrl = process.env.DATABASE_URL;
  let databaseLabel = 'SQLite (embedded, in a fresh temporary DATA_DIR)';
  if (databaseUrl) {
    try {
      const u = new URL(databaseUrl);
      databaseLabel = `PostgreSQL ${u.host}${u.pathname} (from DATABASE_URL)`;
    } catch {
      databaseLabel = 'DATABASE_URL (unparseable, passed as is)';
    }
  }
  const cpus = os.cpus();
  console.log('Nazaha HTTP benchmark');
  console.log(`  machine:   ${cpus.length} CPU × ${cpus[0]?.model.trim() ?? 'unknown'}, ${os.platform()} ${os.release()}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB`);
  console.log(`  node:      ${process.version}`);
  console.log(`  code:      ${codeVersion(fs.statSync(mainJs).mtime)}`);
  console.log(`  database:  ${databaseLabel}`);
  console.log(`  load:      autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s per target, header accept-encoding: ${HEADERS['accept-encoding']}`);
  console.log(`  portal:    dist/src/main.js, NODE_ENV=production LOG_LEVEL=warn, RATE_LIMIT_MAX=${RATE_LIMIT_MAX} (the highest value the portal accepts) so the`);
  console.log('             benchmark is not throttled; the rate limiter itself still runs on every rate-limited route.');
  console.log('');

  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-bench-'));
  const [basePort, portalPort] = [await freePort(), await freePort()];
  const portalEnv: NodeJS.ProcessEnv = {
    ...baseEnv(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(tempDir, 'data'),
    HOST,
    PORT: String(portalPort),
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const baseline = new Child('baseline (raw Fastify)', ['-e', BASELINE_SOURCE], { ...baseEnv(), NODE_ENV: 'production', HOST, PORT: String(basePort) });
  children.push(baseline);
  const portal = new Child('portal', [mainJs], portalEnv);
  children.push(portal);

  const baseUrl = `http://${HOST}:${basePort}`;
  const portalUrl = `http://${HOST}:${portalPort}`;
  console.log('Starting the servers …');
  await Promise.all([waitUntilAnswering(baseline, `${baseUrl}/`), waitUntilAnswering(portal, `${portalUrl}/healthz`)]);
  console.log(`  baseline on ${baseUrl} (pid ${baseline.proc.pid}), portal on ${portalUrl} (pid ${portal.proc.pid})\n`);

  console.log('Measuring …');
  const rows: Row[] = [];
  rows.push(await measure('baseline GET /', `${baseUrl}/`));
  rows.push(await measure('portal GET /healthz', `${portalUrl}/healthz`));
  rows.push(await measure('portal GET /fr/ (home)', `${portalUrl}/fr/`));
  rows.push(await measure('portal GET /api/v1/regions', `${portalUrl}/api/v1/regions`));
  for (const c of children) {
    if (!c.running) throw new Error(`${c.name} stopped during the benchmark:\n${c.log}`);
  }

  const baseRps = rows[0]!.result.requests.average;
  console.log('');
  console.log(
    table(
      ['target', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs baseline', 'response'],
      rows.map((r) => [
        r.name,
        fmt(r.result.requests.average),
        fmt(r.result.latency.p50),
        fmt(r.result.latency.p99),
        fmt(r.result.non2xx + r.warmup.non2xx),
        fmt(r.result.errors + r.warmup.errors),
        `${(r.result.requests.average / baseRps).toFixed(2)}×`,
        `${fmt(r.probe.bytes)} B ${r.probe.encoding}`,
      ]),
      [false, true, true, true, true, true, true, false],
    ),
  );
  console.log('(non-2xx and errors include the warm-up; response: size on the wire and content-encoding of one probe request)');
  // The servers and the load generator use the machine's cores; if something else also wanted them, the numbers
  // (and above all the ratios, measured at different moments) are not representative.
  const contended = rows.filter((r) => r.stall !== undefined && r.stall > 0.2);
  if (contended.length) {
    console.log(
      `Warning: the CPU was contended while measuring ${contended.map((r) => `${r.name} (tasks waiting ${Math.round(r.stall! * 100)}% of the time)`).join(', ')}: ` +
        'the machine had more runnable work than cores (another program, or a database server on this machine); rerun on an idle machine for representative numbers.',
    );
  }

  const home = rows[2]!.result;
  const ratio = home.requests.average / baseRps;
  const status = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  console.log('');
  console.log('Targets (from the issue):');
  console.log(
    `  home page >= ${TARGETS.homeVsBaseline * 100}% of raw hello-world req/s: ${(ratio * 100).toFixed(1)}% ` +
      `(${fmt(home.requests.average)} / ${fmt(baseRps)}) → ${status(ratio >= TARGETS.homeVsBaseline)}`,
  );
  console.log(`  home page p99 <= ${TARGETS.homeP99Ms} ms: ${fmt(home.latency.p99)} ms → ${status(home.latency.p99 <= TARGETS.homeP99Ms)}`);
  console.log('  (performance targets are reported, not enforced: the exit code only reflects request failures)');

  const failures = rows.filter((r) => r.result.non2xx + r.warmup.non2xx + r.result.errors + r.warmup.errors + r.result.timeouts + r.warmup.timeouts > 0);
  if (failures.length) {
    console.error('');
    for (const r of failures) {
      const codes: Record<string, number> = {};
      for (const run of [r.warmup, r.result]) {
        for (const [status, { count }] of Object.entries(run.statusCodeStats ?? {})) codes[status] = (codes[status] ?? 0) + Number(count);
      }
      console.error(
        `FAILED: ${r.name}: ${r.result.non2xx + r.warmup.non2xx} non-2xx responses, ${r.result.errors + r.warmup.errors} errors ` +
          `(${r.result.timeouts + r.warmup.timeouts} timeouts); status codes ${JSON.stringify(codes)}`,
      );
    }
    const logs = children.filter((c) => c.log).map((c) => `--- ${c.name} output ---\n${c.log}`);
    if (logs.length) console.error(logs.join('\n'));
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`\nBenchmark failed: ${(err as Error).message}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
