import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/index.js';
import { createReadyDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  test: TestDatabase;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** Builds the app on a fresh, migrated and seeded database; `env` overrides configuration. */
export async function createTestApp(env: Record<string, string> = {}, existing?: { test: TestDatabase; database: Database }): Promise<TestApp> {
  const { test, database } = existing ?? (await createReadyDatabase());
  const logs: string[] = [];
  const logStream = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  // The same root secret as test/helpers/identity.ts, so users built in code can sign in through the app.
  const config = loadConfig({ DATA_DIR: test.dataDir, DATABASE_URL: test.url, LOG_LEVEL: 'info', NODE_ENV: 'test', SECRET_KEY: '07'.repeat(32), SUBMISSIONS_PER_HOUR: '10000', ...env });
  const app = await buildApp({ config, database, logStream });
  return {
    app, database, test, logs,
    async close() {
      await app.close();
      if (!existing) await test.cleanup();
    },
  };
}

/** Cookies from a response, as a Cookie header value. */
export function cookieHeader(res: { cookies: { name: string; value: string }[] }): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
