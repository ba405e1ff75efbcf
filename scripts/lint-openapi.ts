// npm run lint:openapi — builds the app on a throwaway SQLite database and lints /api/openapi.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { lintOpenApi } from './openapi-lint.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-openapi-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const database = openDatabase(config.databaseUrl);
await migrateToLatest(database.db);
const app = await buildApp({ config, database });
const doc = (await app.inject('/api/openapi.json')).json();
const results = await lintOpenApi(doc);
for (const r of results) console.log(`${r.severity.padEnd(7)} ${r.code.padEnd(28)} ${r.path}  ${r.message}`);
const errors = results.filter((r) => r.severity === 'error').length;
console.log(`${errors} errors, ${results.length - errors} other findings in ${Object.keys(doc.paths).length} paths`);
await app.close();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(errors ? 1 : 0);
