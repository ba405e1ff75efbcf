// A 200 MB attachment goes through type checking, encryption and disk storage with flat memory: the
// pipeline holds a few chunks at a time, never the file. So does a large photo on a channel that keeps
// originals, written twice in one pass (cleaned and untouched).
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/box.js';
import { encryptedSize } from '../../src/crypto/stream.js';
import type { Database } from '../../src/db/index.js';
import { addAttachment } from '../../src/modules/reports/attachments/service.js';
import * as reports from '../../src/modules/reports/service.js';
import { createStorage } from '../../src/storage/index.js';
import { exifWithGps, jpegParts } from '../helpers/files.js';
import { createReadyDatabase, type TestDatabase } from '../helpers/db.js';
import { generatedText, peakGrowth } from '../helpers/memory.js';

const TOTAL = 200 * 1024 * 1024;
const LEDGER = 'The contract was awarded without a call for tenders; the minutes were signed afterwards.\n';

let test: TestDatabase;
let database: Database;
beforeAll(async () => {
  ({ test, database } = await createReadyDatabase());
});
afterAll(() => test.cleanup());

it('stores a 200 MB attachment while the process grows by less than 64 MB', async () => {
  const r = await reports.submitReport(database, {
    channel: 'inpplc-corruption', content: { channel: 'inpplc-corruption', questionnaireVersion: 1, answers: { what: 'large file', region: 'MA-06' } },
    submissionKey: `memory-${Date.now()}`,
  });
  if (!('receipt' in r)) throw new Error('duplicate');
  const storage = createStorage({ kind: 'disk', dir: path.join(test.dataDir, 'attachments') });
  const { result: added, growthMb: growth, seconds, beforeMb } = await peakGrowth(() => addAttachment({
    db: database.db, storage, reportId: r.reportId, reportPublicKey: generateKeyPair().publicKey, stream: generatedText(TOTAL, LEDGER), declaredName: 'ledger.txt',
    limits: { maxBytes: TOTAL, reportMaxBytes: 2 * TOTAL, pdfMaxBytes: 1024 * 1024 },
  }));
  expect(added.size).toBe(TOTAL);
  console.log(`200 MB attachment: ${seconds.toFixed(1)} s, RSS ${beforeMb.toFixed(0)} MB before, peak growth ${growth.toFixed(1)} MB`);
  const row = await database.db.selectFrom('report_attachments').select('stored_bytes').where('report_id', '=', r.reportId).executeTakeFirstOrThrow();
  expect(Number(row.stored_bytes)).toBe(encryptedSize(TOTAL));
  expect(growth).toBeLessThan(64);
}, 120_000);

/** A JPEG with GPS EXIF whose scan is `total` bytes, generated on the fly like `generatedText`. */
function generatedJpeg(total: number): Readable {
  const p = jpegParts;
  const head = Buffer.concat([p.soi, p.jfif, exifWithGps('memory'), p.dqt, p.sof, p.dhtDc, p.dhtAc, p.sos]);
  const block = Buffer.alloc(64 * 1024, 0x3f);
  let sent = -1;
  return new Readable({
    read() {
      if (sent === -1) {
        sent = 0;
        return void this.push(head);
      }
      if (sent >= total) {
        if (sent === total) {
          sent++;
          return void this.push(p.eoi);
        }
        return void this.push(null);
      }
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(Buffer.from(block.subarray(0, n)));
    },
  });
}

it('keeps the original of a 100 MB photo beside its cleaned copy while the process grows by less than 64 MB', async () => {
  const PHOTO = 100 * 1024 * 1024;
  await database.db.updateTable('channels').set({ keep_originals: 1 }).where('slug', '=', 'inpplc-public-official').execute();
  const r = await reports.submitReport(database, {
    channel: 'inpplc-public-official', content: { channel: 'inpplc-public-official', questionnaireVersion: 1, answers: { what: 'large photo', region: 'MA-06' } },
    submissionKey: `memory-photo-${Date.now()}`,
  });
  if (!('receipt' in r)) throw new Error('duplicate');
  const storage = createStorage({ kind: 'disk', dir: path.join(test.dataDir, 'attachments') });
  const { result: added, growthMb: growth } = await peakGrowth(() => addAttachment({
    db: database.db, storage, reportId: r.reportId, reportPublicKey: generateKeyPair().publicKey, stream: generatedJpeg(PHOTO), declaredName: 'scan.jpg',
    limits: { maxBytes: 2 * PHOTO, reportMaxBytes: 4 * PHOTO, pdfMaxBytes: 1024 * 1024 },
  }));
  console.log(`100 MB photo kept twice: RSS peak growth ${growth.toFixed(1)} MB`);
  expect(added.stripped).toContain('jpeg:exif');
  expect(added.original!.size - added.size).toBe(exifWithGps('memory').length);
  expect(growth).toBeLessThan(64);
}, 120_000);
