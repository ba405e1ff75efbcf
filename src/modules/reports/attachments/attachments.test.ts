import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadyDatabase, type TestDatabase, usingPostgres } from '../../../../test/helpers/db.js';
import { cleanJpeg, jpegWithMetadata, paddedJpeg } from '../../../../test/helpers/files.js';
import { startS3Server, type TestS3 } from '../../../../test/helpers/s3.js';
import type { KeyPair } from '../../../crypto/box.js';
import { encryptedSize } from '../../../crypto/stream.js';
import type { Database } from '../../../db/index.js';
import { type BlobStorage, createStorage } from '../../../storage/index.js';
import type { S3Storage } from '../../../storage/s3.js';
import { findOrganisationBySlug } from '../../identity/directory.js';
import * as keys from '../../identity/keys.js';
import * as repo from '../repository.js';
import * as repo2 from './repository.js';
import * as reports from '../service.js';
import { addAttachment, deleteReportAttachments, listAttachments, openAttachment } from './service.js';

let test: TestDatabase;
let database: Database;
let s3: TestS3;
let storages: Record<'disk' | 's3', BlobStorage>;
let organisationKey: KeyPair;
beforeAll(async () => {
  const ready = await createReadyDatabase();
  ({ test, database } = ready);
  s3 = await startS3Server();
  storages = { disk: createStorage({ kind: 'disk', dir: path.join(test.dataDir, 'attachments') }), s3: createStorage(s3.config) };
  const inpplc = (await findOrganisationBySlug(database.db, 'inpplc'))!;
  organisationKey = (await keys.openWithRecoveryKey(database.db, inpplc.id, ready.recoveryKeys.inpplc!))![0]!.pair;
  // The institution's second channel keeps originals; its first stays on the default.
  await database.db.updateTable('channels').set({ keep_originals: 1 }).where('slug', '=', KEEPING).execute();
});
afterAll(async () => {
  (storages?.s3 as S3Storage | undefined)?.destroy();
  await s3?.close();
  await test.cleanup();
});

const CANARY = `canary-${Date.now()}-ⵜⴰⵣⴷⴷⵉⴳⵜ-رشوة`;
const limits = { maxBytes: 1024 * 1024, reportMaxBytes: 4 * 1024 * 1024, pdfMaxBytes: 1024 * 1024 };
let counter = 0;
const KEEPING = 'inpplc-public-official';

async function newReport(channel = 'inpplc-corruption'): Promise<{ reportId: number; publicKey: Buffer; keys: KeyPair }> {
  const r = await reports.submitReport(database, {
    channel, content: { channel, questionnaireVersion: 1, answers: { what: 'with files', region: 'MA-06' } },
    submissionKey: `attachments-${++counter}-${Date.now()}`,
  });
  if (!('receipt' in r)) throw new Error('duplicate');
  const row = (await repo.findReportBy(database.db, { id: r.reportId }))!;
  const pair = reports.openReportKey(row, organisationKey);
  return { reportId: r.reportId, publicKey: pair.publicKey, keys: pair };
}

async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const add = (storage: BlobStorage, report: { reportId: number; publicKey: Buffer }, data: Buffer, declaredName: string, l = limits) =>
  addAttachment({ db: database.db, storage, reportId: report.reportId, reportPublicKey: report.publicKey, stream: Readable.from([data]), declaredName, limits: l });

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(['disk', 's3'] as const)('attachments on %s storage', (kind) => {
  const storage = () => storages[kind];

  it('stores a photo without its GPS position, lists it with sealed metadata and gives it back decrypted', async () => {
    const report = await newReport();
    const added = await add(storage(), report, jpegWithMetadata(CANARY), 'C:\\fakepath\\IMG_0001.jpg');
    expect(added).toMatchObject({ name: 'IMG_0001.jpg', type: 'jpeg', mime: 'image/jpeg', size: cleanJpeg().length, author: 'reporter' });
    expect(added.stripped).toContain('jpeg:exif');
    expect(added.createdDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const listed = await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys });
    expect(listed).toEqual([added]);
    const opened = await openAttachment({ db: database.db, storage: storage(), reportId: report.reportId, attachmentId: added.id, reportKeys: report.keys });
    expect((await read(opened.stream)).equals(cleanJpeg())).toBe(true);
    const row = (await database.db.selectFrom('report_attachments').selectAll().where('id', '=', added.id).executeTakeFirstOrThrow());
    expect(JSON.stringify(row)).not.toContain('IMG_0001');
    expect(row.storage_key).toMatch(new RegExp(`^reports/${report.reportId}/[0-9a-f]{32}$`));
  });

  it('another report\'s key cannot open it, and another report\'s id does not find it', async () => {
    const report = await newReport();
    const other = await newReport();
    const added = await add(storage(), report, Buffer.from('a note'), 'note.txt');
    await expect(openAttachment({ db: database.db, storage: storage(), reportId: other.reportId, attachmentId: added.id, reportKeys: other.keys })).rejects.toMatchObject({ code: 'not_found' });
    await expect(openAttachment({ db: database.db, storage: storage(), reportId: report.reportId, attachmentId: added.id, reportKeys: other.keys })).rejects.toThrow(/decryption failed/);
  });

  /** Files left under the report's folder by this backend (s3rver keeps objects as files too). */
  const leftovers = (reportId: number) => {
    const dir = kind === 'disk' ? path.join(test.dataDir, 'attachments', 'reports', String(reportId)) : path.join(s3.dir, s3.config.bucket, 'reports', String(reportId));
    return fs.existsSync(dir) ? filesUnder(dir) : [];
  };

  it('refuses a file over the size limit and keeps nothing of it', async () => {
    const report = await newReport();
    await add(storage(), report, Buffer.from('kept'), 'kept.txt');
    const before = leftovers(report.reportId);
    expect(before.length).toBeGreaterThan(0);
    await expect(add(storage(), report, Buffer.alloc(limits.maxBytes + 1, 'a'), 'long.txt')).rejects.toMatchObject({ code: 'attachment_too_large' });
    expect((await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).map((a) => a.name)).toEqual(['kept.txt']);
    expect(leftovers(report.reportId)).toEqual(before);
  });

  it('refuses what would pass the per-report total, stopping the upload midway', async () => {
    const report = await newReport();
    const small = { ...limits, reportMaxBytes: 300 * 1024 };
    await add(storage(), report, Buffer.alloc(200 * 1024, 'a'), 'one.txt', small);
    const before = leftovers(report.reportId);
    await expect(add(storage(), report, Buffer.alloc(200 * 1024, 'b'), 'two.txt', small)).rejects.toMatchObject({ code: 'attachment_quota_exceeded' });
    expect((await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).map((a) => a.name)).toEqual(['one.txt']);
    expect(leftovers(report.reportId)).toEqual(before);
  });

  it('lets only one of two uploads that together pass the per-report total in, even at the same time', async () => {
    const report = await newReport();
    const small = { ...limits, reportMaxBytes: 300 * 1024 };
    const results = await Promise.allSettled([
      add(storage(), report, Buffer.alloc(200 * 1024, 'a'), 'a.txt', small),
      add(storage(), report, Buffer.alloc(200 * 1024, 'b'), 'b.txt', small),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'attachment_quota_exceeded' });
    expect(await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).toHaveLength(1);
    // One object left (s3rver keeps it as several files: data, checksum, metadata).
    expect(new Set(leftovers(report.reportId).map((f) => path.basename(f).replace(/\._S3rver_.*$/, ''))).size).toBe(1);
  });

  it('refuses a dangerous file before storing anything', async () => {
    const report = await newReport();
    await expect(add(storage(), report, Buffer.from('<html><script>alert(1)</script></html>'), 'page.html')).rejects.toMatchObject({ code: 'attachment_type_dangerous' });
    await expect(add(storage(), report, Buffer.from('plain words'), 'photo.jpg')).rejects.toMatchObject({ code: 'attachment_type_mismatch' });
  });

  it('detects an altered stored object when it is read', async () => {
    const report = await newReport();
    const added = await add(storage(), report, Buffer.alloc(100_000, 'x'), 'long.txt');
    const row = (await database.db.selectFrom('report_attachments').selectAll().where('id', '=', added.id).executeTakeFirstOrThrow());
    const stored = await read(await storage().get(row.storage_key));
    stored[stored.length - 5]! ^= 1;
    await storage().put(row.storage_key, Readable.from([stored]));
    const opened = await openAttachment({ db: database.db, storage: storage(), reportId: report.reportId, attachmentId: added.id, reportKeys: report.keys });
    await expect(read(opened.stream)).rejects.toThrow(/encrypted file rejected/);
  });

  it('deletes every attachment of a report, rows and objects', async () => {
    const report = await newReport();
    const a = await add(storage(), report, Buffer.from('first'), 'a.txt');
    await add(storage(), report, Buffer.from('second'), 'b.txt');
    const key = (await database.db.selectFrom('report_attachments').select('storage_key').where('id', '=', a.id).executeTakeFirstOrThrow()).storage_key;
    await deleteReportAttachments({ db: database.db, storage: storage(), reportId: report.reportId });
    expect(await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).toEqual([]);
    expect(await storage().exists(key)).toBe(false);
  });

  it('keeps no plaintext: a canary in the content and the name is found nowhere on disk, in S3 or in the database', async () => {
    const report = await newReport();
    await add(storage(), report, Buffer.from(`The envelope was handed over on 3 March. ${CANARY}\n`), `evidence ${CANARY}.txt`);
    await add(storage(), report, jpegWithMetadata(CANARY), `photo ${CANARY}.jpg`);
    // Its untouched original too, on a channel that keeps them.
    expect((await add(storage(), await newReport(KEEPING), jpegWithMetadata(CANARY), `kept ${CANARY}.jpg`)).original).not.toBeNull();
    const needles = [CANARY, Buffer.from(CANARY).toString('base64')].map((n) => Buffer.from(n));
    const files = [...filesUnder(test.dataDir), ...filesUnder(s3.dir)];
    expect(files.length).toBeGreaterThan(2);
    if (usingPostgres()) {
      const dump = execFileSync('pg_dump', ['--data-only', test.url], { maxBuffer: 256 * 1024 * 1024 });
      for (const n of needles) expect(dump.includes(n), 'pg_dump contains the canary').toBe(false);
    } else {
      expect(files.some((f) => f.endsWith('nazaha.sqlite'))).toBe(true);
    }
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) expect(bytes.includes(n), `${f} contains the canary`).toBe(false);
    }
  });
  describe('on a channel that keeps originals', () => {
    const row = (id: number) => database.db.selectFrom('report_attachments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const open = (report: { reportId: number; keys: KeyPair }, id: number, original = false) =>
      openAttachment({ db: database.db, storage: storage(), reportId: report.reportId, attachmentId: id, reportKeys: report.keys, original });

    it('stores the photo cleaned and its untouched original beside it, each under its own sealed key, both counted', async () => {
      const report = await newReport(KEEPING);
      const photo = jpegWithMetadata(CANARY);
      const added = await add(storage(), report, photo, 'IMG_0002.jpg');
      expect(added).toMatchObject({ name: 'IMG_0002.jpg', size: cleanJpeg().length, original: { size: photo.length } });
      expect(added.stripped).toContain('jpeg:exif');
      expect(await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).toEqual([added]);
      const cleaned = await read((await open(report, added.id)).stream);
      expect(cleaned.equals(cleanJpeg())).toBe(true);
      expect(cleaned.includes(Buffer.from('Exif\0'))).toBe(false);
      expect((await read((await open(report, added.id, true)).stream)).equals(photo)).toBe(true);
      const r = await row(added.id);
      expect(r.original_storage_key).toMatch(new RegExp(`^reports/${report.reportId}/[0-9a-f]{32}$`));
      expect(r.original_storage_key).not.toBe(r.storage_key);
      expect(r.original_file_key).not.toBe(r.file_key);
      expect(Number(r.original_stored_bytes)).toBe(encryptedSize(photo.length));
      expect(await repo2.storedBytes(database.db, report.reportId)).toBe(encryptedSize(cleanJpeg().length) + encryptedSize(photo.length));
      // Neither object holds the metadata in clear: both are ciphertext.
      for (const key of [r.storage_key, r.original_storage_key!]) expect((await read(await storage().get(key))).includes(Buffer.from(CANARY))).toBe(false);
    });

    it('keeps no second copy when removal changed nothing, nor for types passed as they came', async () => {
      const report = await newReport(KEEPING);
      const clean = await add(storage(), report, cleanJpeg(), 'clean.jpg');
      const text = await add(storage(), report, Buffer.from('minutes of the meeting'), 'minutes.txt');
      for (const a of [clean, text]) {
        expect(a.original).toBeNull();
        expect((await row(a.id)).original_storage_key).toBeNull();
        await expect(open(report, a.id, true)).rejects.toMatchObject({ code: 'not_found' });
      }
      // Two objects in all: the copy compared and found identical was deleted.
      expect(new Set(leftovers(report.reportId).map((f) => path.basename(f).replace(/\._S3rver_.*$/, ''))).size).toBe(2);
    });

    it('keeps no original on a channel that does not keep them', async () => {
      const report = await newReport();
      const added = await add(storage(), report, jpegWithMetadata(CANARY), 'IMG_0003.jpg');
      expect(added.original).toBeNull();
      expect((await row(added.id)).original_storage_key).toBeNull();
      await expect(open(report, added.id, true)).rejects.toMatchObject({ code: 'not_found' });
      expect(new Set(leftovers(report.reportId).map((f) => path.basename(f).replace(/\._S3rver_.*$/, ''))).size).toBe(1);
    });

    it('refuses a file whose original would pass the per-report total, midway or at the end, and keeps neither copy', async () => {
      const report = await newReport(KEEPING);
      const small = { ...limits, reportMaxBytes: 400 * 1024 };
      await add(storage(), report, Buffer.alloc(150 * 1024, 'a'), 'first.txt', small);
      const before = leftovers(report.reportId);
      // The original alone is larger than the room left: stopped while it streams.
      await expect(add(storage(), report, paddedJpeg(CANARY, 1024, 300 * 1024), 'big.jpg', small)).rejects.toMatchObject({ code: 'attachment_quota_exceeded' });
      expect(leftovers(report.reportId)).toEqual(before);
      // Each copy fits alone, not both together: refused when the row would be written.
      await expect(add(storage(), report, paddedJpeg(CANARY, 100 * 1024, 100 * 1024), 'pair.jpg', small)).rejects.toMatchObject({ code: 'attachment_quota_exceeded' });
      expect(leftovers(report.reportId)).toEqual(before);
      expect((await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).map((a) => a.name)).toEqual(['first.txt']);
      // (The pair's original alone fits the room left, about 250 KiB: that refusal was the one at the end.)
      expect(paddedJpeg(CANARY, 100 * 1024, 100 * 1024).length).toBeLessThan(250 * 1024);
    });

    it('keeps nothing of a refused or damaged file', async () => {
      const report = await newReport(KEEPING);
      await expect(add(storage(), report, Buffer.from('<html><script>alert(1)</script></html>'), 'page.html')).rejects.toMatchObject({ code: 'attachment_type_dangerous' });
      // Starts as a JPEG, breaks off before its end: the cleaned side fails, the original must go too.
      await expect(add(storage(), report, jpegWithMetadata(CANARY).subarray(0, 200), 'cut.jpg')).rejects.toMatchObject({ code: 'attachment_unreadable' });
      await expect(add(storage(), report, paddedJpeg(CANARY, 10, limits.maxBytes), 'long.jpg')).rejects.toMatchObject({ code: 'attachment_too_large' });
      expect(leftovers(report.reportId)).toEqual([]);
      expect(await listAttachments({ db: database.db, reportId: report.reportId, reportKeys: report.keys })).toEqual([]);
    });

    it('deletes originals with the rest of the report\'s files', async () => {
      const report = await newReport(KEEPING);
      const added = await add(storage(), report, jpegWithMetadata(CANARY), 'IMG_0004.jpg');
      const r = await row(added.id);
      expect(await storage().exists(r.original_storage_key!)).toBe(true);
      await deleteReportAttachments({ db: database.db, storage: storage(), reportId: report.reportId });
      expect(await storage().exists(r.original_storage_key!)).toBe(false);
      expect(await storage().exists(r.storage_key)).toBe(false);
      expect(leftovers(report.reportId)).toEqual([]);
    });
  });
});

describe('attachments and reports', () => {
  it('go when their report is deleted (the rows by the foreign key)', async () => {
    const report = await newReport();
    await add(storages.disk, report, Buffer.from('x'), 'x.txt');
    // The reporter's session opened at submission goes first (it has no cascade: ending a session is explicit).
    await database.db.deleteFrom('reporter_sessions').where('report_id', '=', report.reportId).execute();
    await database.db.deleteFrom('reports').where('id', '=', report.reportId).execute();
    expect(await database.db.selectFrom('report_attachments').select('id').where('report_id', '=', report.reportId).execute()).toEqual([]);
  });

  it('cannot be added to a report that does not exist', async () => {
    await expect(add(storages.disk, { reportId: 999_999, publicKey: organisationKey.publicKey }, Buffer.from('x'), 'x.txt')).rejects.toMatchObject({ code: 'not_found' });
  });
});
