// The load of bench/report.ts, in a child process: autocannon on a public page, and reporters walking
// the real HTML form (every step, with cookies and CSRF tokens) until the page measurement ends.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

async function load(url, reporters, seconds, connections, rate) {
  const require = createRequire(import.meta.url);
  const autocannon = require('autocannon');
  const submissions = [];
  let stop = false;
  const cookieJar = () => {
    const jar = new Map();
    return {
      header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      take: (res) => { for (const c of res.headers.getSetCookie()) { const [kv] = c.split(';'); const i = kv.indexOf('='); jar.set(kv.slice(0, i), kv.slice(i + 1)); } },
    };
  };
  async function reporter() {
    while (!stop) {
      const jar = cookieJar();
      const get = async (p) => { const r = await fetch(url + p, { headers: { cookie: jar.header() }, redirect: 'manual' }); jar.take(r); return r.text(); };
      const post = async (p, form) => {
        const r = await fetch(url + p, { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });
        jar.take(r);
        return r;
      };
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
      submissions.push(performance.now() - started);
    }
  }
  const running = Array.from({ length: reporters }, () => reporter());
  const page = await autocannon({ url: `${url}/fr/`, connections, duration: seconds, headers: { 'accept-encoding': 'br, gzip' }, ...(rate > 0 ? { overallRate: rate } : {}) });
  stop = true;
  await Promise.all(running);
  return { page, submissions };
}


const [url, reporters, seconds, connections, rate] = process.argv.slice(2);
process.send(await load(url, Number(reporters), Number(seconds), Number(connections), Number(rate)), () => process.exit(0));
