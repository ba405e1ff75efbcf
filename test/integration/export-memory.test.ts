// A case with a 200 MB attachment is exported through HTTP with flat memory: the file is decrypted
// and written into the ZIP a chunk at a time, never held whole, and the audit log gets the SHA-256
// of the bytes the client received.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findOrganisationBySlug } from '../../src/modules/identity/directory.js';
import * as keys from '../../src/modules/identity/keys.js';
import * as identityRepo from '../../src/modules/identity/repository.js';
import { addAttachment } from '../../src/modules/reports/attachments/service.js';
import { findReport, submitReport } from '../../src/modules/reports/service.js';
import { createStorage } from '../../src/storage/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
import { createReadyDatabase } from '../helpers/db.js';
import { buildUser, identityContext } from '../helpers/identity.js';
import { generatedText, peakGrowth } from '../helpers/memory.js';

const TOTAL = 200 * 1024 * 1024;
let t: TestApp;
let cookie: string;
let reportId: number;

beforeAll(async () => {
  const ready = await createReadyDatabase();
  t = await createTestApp({ RATE_LIMIT_MAX: '100000', ATTACHMENT_MAX_BYTES: String(TOTAL), REPORT_ATTACHMENTS_MAX_BYTES: String(2 * TOTAL) }, ready);
  const inpplc = (await findOrganisationBySlug(t.database.db, 'inpplc'))!;
  const u = await buildUser(identityContext(t.database), { roles: ['case-handler'], organisationId: inpplc.id });
  const opened = (await keys.openWithRecoveryKey(t.database.db, inpplc.id, ready.recoveryKeys.inpplc!))!;
  await keys.grantToMember(t.database.db, opened, { userId: u.userId, publicKey: (await identityRepo.findUser(t.database.db, { id: u.userId }))!.public_key! });
  const browser = new Browser(() => t.app);
  await browser.submit('/fr/staff/sign-in', '/fr/staff/sign-in', { email: u.email, password: u.password, code: u.recoveryCodes[0]! });
  cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const r = await submitReport(t.database, { channel: 'inpplc-corruption', submissionKey: 'export-memory', content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'Registre complet' } } });
  if (!('reportId' in r)) throw new Error('duplicate');
  reportId = r.reportId;
  await addAttachment({
    db: t.database.db, storage: createStorage({ kind: 'disk', dir: path.join(t.test.dataDir, 'attachments') }), reportId,
    reportPublicKey: Buffer.from((await findReport(t.database.db, reportId))!.public_key, 'base64'), stream: generatedText(TOTAL, 'Le marché a été attribué sans appel d’offres.\n'), declaredName: 'registre.txt',
    limits: { maxBytes: TOTAL, reportMaxBytes: 2 * TOTAL, pdfMaxBytes: 1024 * 1024 },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);
afterAll(() => t.close());

it('exports a case with a 200 MB file while the process grows by less than 64 MB', async () => {
  const port = (t.app.server.address() as AddressInfo).port;
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const { result: status, growthMb: growth, seconds } = await peakGrowth(() => new Promise<number>((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/api/v1/cases/${reportId}/export`, { headers: { cookie } }, (res) => {
      res.on('data', (chunk: Buffer) => { hash.update(chunk); bytes += chunk.length; });
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', reject);
    }).on('error', reject);
  }));
  expect(status).toBe(200);
  console.log(`export of a 200 MB file: ${seconds.toFixed(1)} s, peak RSS growth ${growth.toFixed(1)} MB`);
  expect(bytes).toBeGreaterThan(TOTAL);
  expect(growth).toBeLessThan(64);
  for (let i = 0; i < 100; i++) {
    const row = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'case.exported').executeTakeFirst();
    if (row) return expect(JSON.parse(row.details)).toMatchObject({ sha256: hash.digest('hex'), bytes, attachments: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no case.exported entry');
}, 120_000);
