import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMaintenance } from '../../src/jobs/maintenance.js';
import { Worker } from '../../src/jobs/queue.js';
import { createReadyDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let shared: Awaited<ReturnType<typeof createReadyDatabase>>;
let nodeA: TestApp;
let nodeB: TestApp;
beforeAll(async () => {
  shared = await createReadyDatabase();
  // Two app nodes on one database, behind a proxy that sets X-Forwarded-For.
  nodeA = await createTestApp({ RATE_LIMIT_MAX: '4', TRUST_PROXY: 'true' }, shared);
  nodeB = await createTestApp({ RATE_LIMIT_MAX: '4', TRUST_PROXY: 'true' }, shared);
});
afterAll(async () => {
  await nodeA.close();
  await nodeB.close();
  await shared.test.cleanup();
});

const from = (ip: string, url = '/fr/') => ({ url, headers: { 'x-forwarded-for': ip, 'user-agent': 'CanaryAgent/7.7', 'accept-language': 'fr' } });

describe('rate limiting across nodes', () => {
  it('counts one client on every node and answers 429 past the limit', async () => {
    const statuses = [];
    for (const node of [nodeA, nodeB, nodeA, nodeB, nodeA]) statuses.push((await node.app.inject(from('203.0.113.7'))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const api = await nodeB.app.inject(from('203.0.113.7', '/api/v1/regions'));
    expect(api.statusCode).toBe(429);
    expect(api.json()).toMatchObject({ code: 'rate_limited', title: 'Trop de requêtes : patientez un instant puis réessayez' });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not affected.
    expect((await nodeA.app.inject(from('198.51.100.9'))).statusCode).toBe(200);
  });

  it('stores no address: only keyed hashes under a secret of the day', async () => {
    const rows = await shared.database.db.selectFrom('rate_limits').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(row.key).not.toContain('203.0.113');
    }
    const secrets = await shared.database.db.selectFrom('rate_limit_secrets').selectAll().execute();
    expect(secrets.map((s) => s.day)).toEqual([new Date().toISOString().slice(0, 10)]);
  });

  it('maintenance forgets expired windows and secrets older than yesterday', async () => {
    const { db } = shared.database;
    await db.updateTable('rate_limits').set({ reset_at: Date.now() - 1 }).execute();
    await db.insertInto('rate_limit_secrets').values({ day: '2020-01-01', secret: 'ab'.repeat(32) }).execute();
    const worker = registerMaintenance(new Worker({ database: shared.database, log: nodeA.app.log }));
    await worker.drain();
    expect(await db.selectFrom('rate_limits').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('rate_limit_secrets').select('day').execute()).map((r) => r.day)).not.toContain('2020-01-01');
  });

  it('health probes are never throttled', async () => {
    for (let i = 0; i < 6; i++) expect((await nodeA.app.inject(from('203.0.113.7', '/healthz'))).statusCode).toBe(200);
  });
});

describe('logs', () => {
  it('never record the client address or user agent', async () => {
    const all = nodeA.logs.join('') + nodeB.logs.join('');
    expect(all).toContain('"path":"/fr/"');
    expect(all).not.toContain('203.0.113');
    expect(all).not.toContain('198.51.100');
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toContain('CanaryAgent');
    expect(all).not.toMatch(/remoteAddress|user-agent|userAgent/i);
  });

  it('never record query strings, which may carry a receipt or a search', async () => {
    await nodeA.app.inject({ url: '/fr/?receipt=SECRET-CANARY-1234' });
    expect(nodeA.logs.join('')).not.toContain('SECRET-CANARY');
  });
});
