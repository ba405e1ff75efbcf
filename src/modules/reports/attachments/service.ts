// Attachments of a report. A file goes, as one stream and never as a plaintext file anywhere:
// input -> size limit -> type check and metadata removal -> encryption under a fresh per-file key ->
// storage. The file key and the metadata (name, type, size, what was removed) are sealed to the
// report's public key, so adding needs no private key and reading needs the report's.
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import type { Kysely } from 'kysely';
import { type KeyPair, openSealed, randomBytes, seal, wipe } from '../../../crypto/box.js';
import { decryptStream, encryptStream, newFileKey, openFileKey, sealFileKey } from '../../../crypto/stream.js';
import type { DB } from '../../../db/schema.js';
import { AppError } from '../../../errors.js';
import type { BlobStorage } from '../../../storage/index.js';
import type { AttachmentType } from './detect.js';
import { inspectAndStrip } from './inspect.js';
import * as repo from './repository.js';

export interface AttachmentLimits {
  /** Largest file, counted on the bytes received (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** All attachments of one report, counted on the stored (encrypted) bytes (REPORT_ATTACHMENTS_MAX_BYTES). */
  reportMaxBytes: number;
  /** Largest PDF, which is rewritten in memory (ATTACHMENT_PDF_MAX_BYTES). */
  pdfMaxBytes: number;
}

export interface AttachmentMetadata {
  name: string;
  type: AttachmentType;
  mime: string;
  /** Bytes of the file as stored, after metadata removal. */
  size: number;
  /** What metadata was removed, e.g. ["jpeg:exif"]. */
  stripped: string[];
}

export interface Attachment extends AttachmentMetadata {
  id: number;
  author: 'reporter' | 'staff';
  createdDay: string;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');
const today = (): string => new Date().toISOString().slice(0, 10);
const prefixOf = (reportId: number) => `reports/${reportId}/`;

/** Passes bytes on until more than `max` went through, then fails with `refusal`. */
function byteLimit(max: number, refusal: () => AppError): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      done(seen > max ? refusal() : null, chunk);
    },
  });
}

function counter(onCount: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      onCount(chunk.length);
      done(null, chunk);
    },
  });
}

/** The declared name as shown to staff: the last path part, no control characters, at most 200 characters. */
export function cleanName(declared: string, fallbackExtension: string): string {
  const base = (declared.split(/[\\/]/).pop() ?? '').normalize('NFC').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  if (!base) return `attachment.${fallbackExtension}`;
  if (base.length <= 200) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
  return base.slice(0, 200 - ext.length) + ext;
}

export interface AddAttachment {
  db: Kysely<DB>;
  storage: BlobStorage;
  reportId: number;
  reportPublicKey: Uint8Array;
  stream: Readable;
  declaredName: string;
  author?: 'reporter' | 'staff';
  limits: AttachmentLimits;
}

/**
 * Checks, cleans, encrypts and stores one file. Refusals are AppErrors (see inspectAndStrip, plus
 * attachment_too_large, attachment_quota_exceeded and not_found); after any failure nothing of the
 * file is left in storage or in the database.
 */
export async function addAttachment(o: AddAttachment): Promise<Attachment> {
  const refuseEarly = (err: AppError): never => {
    o.stream.destroy();
    throw err;
  };
  if (!(await repo.reportExists(o.db, o.reportId))) refuseEarly(new AppError('not_found', { message: 'no such report' }));
  const room = o.limits.reportMaxBytes - (await repo.storedBytes(o.db, o.reportId));
  if (room <= 0) refuseEarly(new AppError('attachment_quota_exceeded'));

  const tooLarge = () => new AppError('attachment_too_large', { message: `file over ${o.limits.maxBytes} bytes` });
  const quota = () => new AppError('attachment_quota_exceeded', { message: `report attachments over ${o.limits.reportMaxBytes} bytes` });
  const limited = byteLimit(o.limits.maxBytes, tooLarge);
  pipeline(o.stream, limited, () => {});
  const inspected = await inspectAndStrip(limited, o.declaredName, { pdfMaxBytes: Math.min(o.limits.pdfMaxBytes, o.limits.maxBytes) });

  const fileKey = newFileKey();
  const sealedKey = sealFileKey(fileKey, o.reportPublicKey);
  const encrypt = encryptStream(fileKey);
  // The encryption state holds what it needs; no other plaintext copy of the key stays in memory.
  wipe(fileKey);
  const key = `${prefixOf(o.reportId)}${randomBytes(16).toString('hex')}`;
  let size = 0;
  const stored = byteLimit(room, quota);
  pipeline(inspected.stream, counter((n) => (size += n)), encrypt, stored, () => {});
  const author = o.author ?? 'reporter';
  const day = today();
  let result: Awaited<ReturnType<typeof repo.insertWithinLimit>>;
  try {
    const { size: storedBytes } = await o.storage.put(key, stored);
    const metadata: AttachmentMetadata = { name: cleanName(o.declaredName, inspected.type), type: inspected.type, mime: inspected.mime, size, stripped: inspected.stripped };
    result = await repo.insertWithinLimit(o.db, {
      report_id: o.reportId, storage_key: key, file_key: b64(sealedKey), metadata: b64(seal(Buffer.from(JSON.stringify(metadata)), o.reportPublicKey)),
      stored_bytes: storedBytes, author, created_day: day,
    }, o.limits.reportMaxBytes);
    if ('id' in result) return { id: result.id, author, createdDay: day, ...metadata };
  } catch (err) {
    o.stream.destroy();
    await o.storage.delete(key).catch(() => {});
    throw err;
  }
  // Another upload to the same report took the room in the meantime, or the report was deleted.
  await o.storage.delete(key).catch(() => {});
  throw result.refused === 'limit' ? quota() : new AppError('not_found', { message: 'report deleted during upload' });
}

const openJson = <T>(box: string, keys: KeyPair): T => JSON.parse(openSealed(unb64(box), keys).toString('utf8')) as T;

const toAttachment = (row: repo.AttachmentRow, keys: KeyPair): Attachment => ({
  id: row.id, author: row.author, createdDay: row.created_day, ...openJson<AttachmentMetadata>(row.metadata, keys),
});

/** The attachments of a report, oldest first, with their metadata opened with the report's keys. */
export async function listAttachments(o: { db: Kysely<DB>; reportId: number; reportKeys: KeyPair }): Promise<Attachment[]> {
  return (await repo.listForReport(o.db, o.reportId)).map((row) => toAttachment(row, o.reportKeys));
}

/**
 * One attachment of a report, decrypted as it is read. The stream fails (StreamDecryptionError) if
 * the stored object was altered or cut: a consumer must not treat what it got before as complete.
 */
export async function openAttachment(o: { db: Kysely<DB>; storage: BlobStorage; reportId: number; attachmentId: number; reportKeys: KeyPair }): Promise<Attachment & { stream: Readable }> {
  const row = await repo.find(o.db, o.attachmentId);
  // Another report's attachment is as absent as a missing one.
  if (!row || row.report_id !== o.reportId) throw new AppError('not_found');
  const attachment = toAttachment(row, o.reportKeys);
  const fileKey = openFileKey(unb64(row.file_key), o.reportKeys);
  const decrypt = decryptStream(fileKey);
  wipe(fileKey);
  const source = await o.storage.get(row.storage_key);
  pipeline(source, decrypt, () => {});
  return { ...attachment, stream: decrypt };
}

/** Deletes every attachment of a report: rows first (the keys), then the objects, orphans included. */
export async function deleteReportAttachments(o: { db: Kysely<DB>; storage: BlobStorage; reportId: number }): Promise<void> {
  await repo.deleteForReport(o.db, o.reportId);
  await o.storage.deletePrefix(prefixOf(o.reportId));
}
