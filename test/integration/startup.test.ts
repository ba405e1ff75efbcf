// The portal as an operator runs it: a real process, configured only by the environment.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../helpers/db.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.cleanup());

const baseEnv = () => ({
  PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: test.dataDir,
  ...(usingPostgres() ? { DATABASE_URL: test.url } : {}),
});

interface Running { child: ChildProcess; url: string; output: () => string; exit: Promise<number | null> }

async function start(env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = out.match(/Nazaha is running: open (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearInterval(timer); resolve(m[1]!); }
    }, 50);
    void exit.then((code) => { clearInterval(timer); reject(new Error(`exited ${code}: ${out}`)); });
  });
  return { child, url, output: () => out, exit };
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exit;
}

describe('npm start', () => {
  it('starts with nothing but PORT, HOST and DATA_DIR, says where it listens, and stops cleanly', async () => {
    const r = await start();
    try {
      expect(r.output()).toContain('API documentation:');
      expect((await fetch(`${r.url}/readyz`)).status).toBe(200);
      const home = await fetch(`${r.url}/fr/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<html lang="fr" dir="ltr">');
      expect(r.output()).toContain('reference data loaded');
      // The recovery keys of the loaded institutions appear once on the console, never in a log line.
      const keys = [...r.output().matchAll(/^\s+(inpplc|mediateur)\s+([0-9A-Z]{4}(?:-[0-9A-Z]{4}){12})$/gm)];
      expect(keys.map((k) => k[1])).toEqual(['inpplc', 'mediateur']);
      const logLines = r.output().split('\n').filter((l) => l.startsWith('{'));
      for (const k of keys) expect(logLines.join('\n')).not.toContain(k[2]);
      const key = path.join(test.dataDir, 'secret.key');
      expect(fs.statSync(key).mode & 0o777).toBe(0o600);
      expect(r.output()).not.toContain(fs.readFileSync(key, 'utf8').trim());
      if (!usingPostgres()) expect(fs.existsSync(path.join(test.dataDir, 'nazaha.sqlite'))).toBe(true);
    } finally {
      expect(await stop(r)).toBe(0);
    }
  });

  it('a second start loads nothing twice and keeps the same secret', async () => {
    const key = fs.readFileSync(path.join(test.dataDir, 'secret.key'), 'utf8');
    const r = await start();
    try {
      expect(r.output()).not.toContain('reference data loaded');
      expect(r.output()).not.toContain('RECOVERY KEYS');
      const regions = await (await fetch(`${r.url}/api/v1/regions`)).json();
      expect(regions.data.length).toBe(12);
      expect(fs.readFileSync(path.join(test.dataDir, 'secret.key'), 'utf8')).toBe(key);
    } finally {
      await stop(r);
    }
  });

  it('the nazaha command works while the portal runs on the same database', async () => {
    const r = await start();
    try {
      const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'seed', '--force'], { env: { ...baseEnv() } });
      expect(cli.stdout).toContain('loaded reference.regions@2026-11-26');
      const status = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'migrate', '--status'], { env: { ...baseEnv() } });
      expect(status.stdout).toContain('up to date');
      expect((await fetch(`${r.url}/fr/`)).status).toBe(200);
    } finally {
      await stop(r);
    }
  });

  it('stays up through garbage on the wire and malformed requests', async () => {
    const r = await start();
    try {
      const { port } = new URL(r.url);
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end('GARBAGE \x00\x01 NOT HTTP\r\n\r\n'));
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
        socket.resume();
      });
      const bad = await fetch(`${r.url}/api/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"useful":' });
      expect(bad.status).toBe(400);
      const big = await fetch(`${r.url}/api/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(2_000_000) }) });
      expect(big.status).toBe(413);
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
      expect(r.child.exitCode).toBeNull();
    } finally {
      await stop(r);
    }
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['LOG_LEVEL', 'chatty'],
  ])('refuses to start with a wrong %s, in one line naming it', async (name, value) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...baseEnv(), [name]: value }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(new RegExp(`^Invalid configuration: ${name} `));
  });
});
