// Browser journeys (`npm run test:e2e`) against the built portal: run `npm run build` (or `npm install`)
// first so that dist/ exists. The browser is the system Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium): never `npx playwright install`. Set E2E_DATABASE_URL to run on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = 3901;
const baseURL = `http://127.0.0.1:${PORT}`;

// A fresh data directory per run. Workers load this file too: they inherit the variable instead
// of creating their own, and the process that created the directory removes it on exit.
if (!process.env.NAZAHA_E2E_DATA_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-e2e-'));
  process.env.NAZAHA_E2E_DATA_DIR = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: 'test/e2e',
  workers: 2,
  retries: 0,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // Migrated and seeded first by the CLI, whose recovery keys (stderr) go to a file of the temporary
    // DATA_DIR: the case-handling journey gives its handlers the organisation key with one of them.
    command: `node bin/nazaha.js migrate && node bin/nazaha.js seed 2> "${process.env.NAZAHA_E2E_DATA_DIR}/seed-output.txt" && node dist/src/main.js`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.NAZAHA_E2E_DATA_DIR,
      LOG_LEVEL: 'warn',
      // The server inherits this process's environment: an empty value (read as unset) keeps a
      // developer's DATABASE_URL away from the tests unless E2E_DATABASE_URL asks for it.
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
    },
  },
});
