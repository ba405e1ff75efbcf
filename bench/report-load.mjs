// The load of bench/report.ts, in child processes (never on the portal's event loop):
//   node report-load.mjs visitors <url>           public-page visitors, an open loop: one process for the
//                                                 whole benchmark, told by message {seconds, rate} when to run
//                                                 a phase, answering with its figures
//   node report-load.mjs reporters <url> <count>  reporters walking the real HTML form until told to stop
//   node report-load.mjs hasher <MiB> <passes>    Argon2id without pause until told to stop (BENCH_HASHER)
// Each sends its results to the parent with process.send.
import http from 'node:http';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchGcPauses } from './gc-pauses.mjs';

/**
 * Visitors arrive independently of how fast the server answers: a Poisson process at `rate` requests
 * per second (exponential gaps), each request sent on time whatever is still in flight. A request's
 * latency runs from the moment it was due, so a late client (or a stalled server that delays the
 * next send) counts against the figure instead of hiding (no coordinated omission).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

async function pages(url, seconds, rate) {
  const target = new URL('/fr/', url);
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  let lateness = 0;
  const get = (due) =>
    new Promise((resolve) => {
      const req = http.get(target, { agent, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
          latencies.push(performance.now() - due);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  // The client's own pauses (its garbage collection, its event loop held up) delay its requests too.
  const gc = watchGcPauses();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = performance.now();
  const end = start + seconds * 1000;
  const inflight = [];
  let due = start;
  for (;;) {
    due += (-Math.log(1 - Math.random()) * 1000) / rate;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    lateness = Math.max(lateness, performance.now() - due);
    inflight.push(get(due));
  }
  await Promise.all(inflight);
  loop.disable();
  return { latencies, non2xx, errors, lateness, client: { gc: gc.stop(), loopMax: loop.max / 1e6 } };
}

/**
 * Reporters walk the form as fast as they can (no think time), every step with cookies and CSRF tokens.
 * They use node:http on keep-alive connections, not fetch: they stand for people on their own devices,
 * and fetch cost this machine three times the CPU for the same requests (bench/README.md). Like fetch,
 * they ask for gzip, so the portal compresses every page it sends them.
 */
async function reporters(url, count) {
  const submissions = [];
  let stop = false;
  process.once('message', () => {
    stop = true;
  });
  const reporterAgent = new http.Agent({ keepAlive: true, maxSockets: count });
  const request = (jar, method, p, form) =>
    new Promise((resolve, reject) => {
      const body = form ? new URLSearchParams(form).toString() : undefined;
      const headers = { cookie: jar.header(), 'accept-encoding': 'gzip, deflate' };
      if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
      const req = http.request(new URL(p, url), { method, agent: reporterAgent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          jar.take(res.headers['set-cookie'] ?? []);
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode, text: () => (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString() });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cookieJar = () => {
    const jar = new Map();
    return {
      header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      take: (cookies) => {
        for (const c of cookies) {
          const [kv] = c.split(';');
          const i = kv.indexOf('=');
          jar.set(kv.slice(0, i), kv.slice(i + 1));
        }
      },
    };
  };
  async function reporter() {
    while (!stop) {
      const jar = cookieJar();
      const get = async (p) => (await request(jar, 'GET', p)).text();
      const post = (p, form) => request(jar, 'POST', p, form);
      const csrf = (html) => html.match(/name="_csrf" value="([^"]+)"/)[1];
      await post('/fr/report', { _csrf: csrf(await get('/fr/report')), channel: 'inpplc-corruption' });
      await post('/fr/report/step/facts', { _csrf: csrf(await get('/fr/report/step/facts')), what: 'Benchmark report: a bribe was requested at the counter.', when: '2026-10-01' });
      await post('/fr/report/step/place', { _csrf: csrf(await get('/fr/report/step/place')), region: 'MA-04' });
      await post('/fr/report/identity', { _csrf: csrf(await get('/fr/report/identity')), mode: 'anonymous' });
      await post('/fr/report/notices', { _csrf: csrf(await get('/fr/report/notices')), mode: 'none' });
      const token = csrf(await get('/fr/report/review'));
      const started = performance.now();
      const res = await post('/fr/report/submit', { _csrf: token, confirm: 'yes' });
      if (res.status !== 200) throw new Error(`submission answered ${res.status}`);
      if (!stop) submissions.push(performance.now() - started);
    }
  }
  await Promise.all(Array.from({ length: count }, () => reporter()));
  reporterAgent.destroy();
  return { submissions };
}

/**
 * Argon2id (m MiB, t passes, 1 lane) one call after another, as the portal's hashing thread does under
 * saturation, but with no report behind it: the loaded phase then shows what hashing alone costs pages.
 */
async function hasher(mib, passes) {
  const argon2 = createRequire(import.meta.url)('@node-rs/argon2');
  let stop = false;
  process.once('message', () => {
    stop = true;
  });
  let hashes = 0;
  while (!stop) {
    argon2.hashSync(`bench ${hashes}`, { algorithm: 2, memoryCost: mib * 1024, timeCost: passes, parallelism: 1 });
    hashes++;
    // Lets the stop message in.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { hashes };
}

const [kind, ...args] = process.argv.slice(2);
if (kind === 'visitors') {
  // One process for every phase: its connections and compiled code stay warm, so that no phase
  // measures the client's own start.
  const [url] = args;
  process.on('message', async (m) => {
    if (m === 'exit') {
      agent.destroy();
      process.exit(0);
    }
    process.send(await pages(url, m.seconds, m.rate));
  });
} else {
  const result = kind === 'hasher' ? await hasher(Number(args[0]), Number(args[1])) : await reporters(args[0], Number(args[1]));
  process.send(result, () => process.exit(0));
}
