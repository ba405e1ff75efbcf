// Attachments of a report. A file goes, as one stream and never as a plaintext file anywhere:
// input -> size limit -> type check and metadata removal -> encryption under a fresh per-file key ->
// storage. The file key and the metadata (name, type, size, what was removed) are sealed to the
// report's public key, so adding needs no private key and reading needs the report's.
// On a channel that keeps originals, the limited input is split in two before the type check: the
// untouched original is encrypted under a key of its own and stored beside the cleaned copy, in the
// same pass (see tee.ts), and kept only if removal changed the file.
import crypto from 'node:crypto';
import { PassThrough, pipeline, type Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { type KeyPair, openSealed, randomBytes, seal, wipe } from '../../../crypto/box.js';
import { decryptStream, encryptStream, newFileKey, openFileKey, sealFileKey } from '../../../crypto/stream.js';
import type { DB } from '../../../db/schema.js';
import { AppError } from '../../../errors.js';
import type { BlobStorage } from '../../../storage/index.js';
import type { AttachmentType } from './detect.js';
import { HEAD_BYTES, inspectAndStrip } from './inspect.js';
import * as repo from './repository.js';
import { tee } from './tee.js';

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
  /** Bytes of the untouched original, when one is kept. */
  originalSize?: number;
}

export interface Attachment extends Omit<AttachmentMetadata, 'originalSize'> {
  id: number;
  author: 'reporter' | 'staff';
  createdDay: string;
  /** The untouched original, kept sealed because the channel keeps originals and removal changed the file; else null. */
  original: { size: number } | null;
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

/** What went through a stream: its length, and its SHA-256 when an original may be compared with it. */
interface Measured { bytes: number; hash: crypto.Hash | undefined }

function measure(into: Measured): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      into.bytes += chunk.length;
      into.hash?.update(chunk);
      done(null, chunk);
    },
  });
}

interface EncryptedWrite {
  key: string;
  sealedKey: Buffer;
  plain: Measured;
  /** Settles once the object is stored (or failed: then nothing is visible under `key`). */
  put: Promise<{ size: number }>;
}

/**
 * Encrypts `plain` under a fresh file key (sealed to the report) into a new random object of the
 * report, refusing past `room` stored bytes. Starts at once; the caller awaits `put`.
 */
function storeEncrypted(o: AddAttachment, plain: Readable, room: number, refusal: () => AppError, hashed: boolean): EncryptedWrite {
  const fileKey = newFileKey();
  const sealedKey = sealFileKey(fileKey, o.reportPublicKey);
  const encrypt = encryptStream(fileKey);
  // The encryption state holds what it needs; no other plaintext copy of the key stays in memory.
  wipe(fileKey);
  const key = `${prefixOf(o.reportId)}${randomBytes(16).toString('hex')}`;
  const measured: Measured = { bytes: 0, hash: hashed ? crypto.createHash('sha256') : undefined };
  const stored = byteLimit(room, refusal);
  pipeline(plain, measure(measured), encrypt, stored, () => {});
  return { key, sealedKey, plain: measured, put: o.storage.put(key, stored) };
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
 * Checks, cleans, encrypts and stores one file, and its untouched original too when the report's
 * channel keeps originals and removal changed the file. Refusals are AppErrors (see inspectAndStrip,
 * plus attachment_too_large, attachment_quota_exceeded and not_found); after any failure nothing of
 * the file is left in storage or in the database, neither copy.
 */
export async function addAttachment(o: AddAttachment): Promise<Attachment> {
  const refuseEarly = (err: AppError): never => {
    o.stream.destroy();
    throw err;
  };
  const policy = await repo.uploadPolicy(o.db, o.reportId);
  if (!policy) return refuseEarly(new AppError('not_found', { message: 'no such report' }));
  const room = o.limits.reportMaxBytes - (await repo.storedBytes(o.db, o.reportId));
  if (room <= 0) refuseEarly(new AppError('attachment_quota_exceeded'));

  const tooLarge = () => new AppError('attachment_too_large', { message: `file over ${o.limits.maxBytes} bytes` });
  const quota = () => new AppError('attachment_quota_exceeded', { message: `report attachments over ${o.limits.reportMaxBytes} bytes` });
  const limited = byteLimit(o.limits.maxBytes, tooLarge);
  // The original's branch is read only once the type check passed, so that nothing of a refused file
  // is written; until then it holds what the check reads ahead (HEAD_BYTES), past which the tee waits.
  const originalBranch = policy.keepOriginals ? new PassThrough({ highWaterMark: 2 * HEAD_BYTES }) : undefined;
  let split: Writable | undefined;
  let toInspect: Readable = limited;
  if (originalBranch) {
    const cleanBranch = new PassThrough();
    split = tee(cleanBranch, originalBranch);
    pipeline(o.stream, limited, split, () => {});
    toInspect = cleanBranch;
  } else {
    pipeline(o.stream, limited, () => {});
  }
  let inspected: Awaited<ReturnType<typeof inspectAndStrip>>;
  try {
    inspected = await inspectAndStrip(toInspect, o.declaredName, { pdfMaxBytes: Math.min(o.limits.pdfMaxBytes, o.limits.maxBytes) });
  } catch (err) {
    split?.destroy(err as Error);
    throw err;
  }
  // Text and office documents pass as they came: the cleaned copy is the original.
  const keepOriginal = originalBranch !== undefined && inspected.mayChange;
  if (originalBranch && !keepOriginal) originalBranch.resume();

  // Each copy alone may take the room left; both together are checked when the row is inserted.
  const cleaned = storeEncrypted(o, inspected.stream, room, quota, keepOriginal);
  const original = keepOriginal ? storeEncrypted(o, originalBranch, room, quota, true) : undefined;
  const writes = original ? [cleaned, original] : [cleaned];
  const discard = () => Promise.all(writes.map((w) => o.storage.delete(w.key).catch(() => {})));
  // A failure on one side stops the other at once (the tee passes the error on), so both settle.
  const settled = await Promise.allSettled(writes.map((w) => w.put.catch((err: unknown) => {
    split?.destroy(err as Error);
    throw err;
  })));
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length) {
    o.stream.destroy();
    await discard();
    throw failures.find((e) => e instanceof AppError) ?? failures[0];
  }
  const [cleanedBytes, originalBytes] = settled.map((r) => (r as PromiseFulfilledResult<{ size: number }>).value.size);
  // Nothing was removed (e.g. a photo without metadata): a second, identical copy would add nothing.
  const same = (a: Measured, b: Measured) => a.bytes === b.bytes && a.hash!.digest().equals(b.hash!.digest());
  const kept = original && !same(original.plain, cleaned.plain) ? original : undefined;
  if (original && !kept) await o.storage.delete(original.key).catch(() => {});

  const author = o.author ?? 'reporter';
  const day = today();
  const metadata: AttachmentMetadata = {
    name: cleanName(o.declaredName, inspected.type), type: inspected.type, mime: inspected.mime, size: cleaned.plain.bytes, stripped: inspected.stripped,
    ...(kept ? { originalSize: kept.plain.bytes } : {}),
  };
  let result: Awaited<ReturnType<typeof repo.insertWithinLimit>>;
  try {
    result = await repo.insertWithinLimit(o.db, {
      report_id: o.reportId, storage_key: cleaned.key, file_key: b64(cleaned.sealedKey), metadata: b64(seal(Buffer.from(JSON.stringify(metadata)), o.reportPublicKey)),
      stored_bytes: cleanedBytes!, author, created_day: day,
      original_storage_key: kept?.key ?? null, original_file_key: kept ? b64(kept.sealedKey) : null, original_stored_bytes: kept ? originalBytes! : null,
    }, o.limits.reportMaxBytes);
  } catch (err) {
    await discard();
    throw err;
  }
  if ('id' in result) {
    const { originalSize, ...shown } = metadata;
    return { id: result.id, author, createdDay: day, ...shown, original: kept ? { size: originalSize! } : null };
  }
  // Another upload to the same report took the room in the meantime, or the report was deleted.
  await discard();
  throw result.refused === 'limit' ? quota() : new AppError('not_found', { message: 'report deleted during upload' });
}

const openJson = <T>(box: string, keys: KeyPair): T => JSON.parse(openSealed(unb64(box), keys).toString('utf8')) as T;

function toAttachment(row: repo.AttachmentRow, keys: KeyPair): Attachment {
  const { originalSize, ...metadata } = openJson<AttachmentMetadata>(row.metadata, keys);
  return { id: row.id, author: row.author, createdDay: row.created_day, ...metadata, original: row.original_storage_key ? { size: originalSize ?? 0 } : null };
}

/** The attachments of a report, oldest first, with their metadata opened with the report's keys. */
export async function listAttachments(o: { db: Kysely<DB>; reportId: number; reportKeys: KeyPair }): Promise<Attachment[]> {
  return (await repo.listForReport(o.db, o.reportId)).map((row) => toAttachment(row, o.reportKeys));
}

/**
 * One attachment of a report, decrypted as it is read: the cleaned copy, or with `original` the
 * untouched original (not_found when none was kept). The stream fails (StreamDecryptionError) if
 * the stored object was altered or cut: a consumer must not treat what it got before as complete.
 */
export async function openAttachment(o: { db: Kysely<DB>; storage: BlobStorage; reportId: number; attachmentId: number; reportKeys: KeyPair; original?: boolean }): Promise<Attachment & { stream: Readable }> {
  const row = await repo.find(o.db, o.attachmentId);
  // Another report's attachment is as absent as a missing one.
  if (!row || row.report_id !== o.reportId) throw new AppError('not_found');
  const stored = o.original ? { key: row.original_storage_key, fileKey: row.original_file_key } : { key: row.storage_key, fileKey: row.file_key };
  if (!stored.key || !stored.fileKey) throw new AppError('not_found', { message: 'no original kept for this file' });
  const attachment = toAttachment(row, o.reportKeys);
  const fileKey = openFileKey(unb64(stored.fileKey), o.reportKeys);
  const decrypt = decryptStream(fileKey);
  wipe(fileKey);
  const source = await o.storage.get(stored.key);
  pipeline(source, decrypt, () => {});
  return { ...attachment, stream: decrypt };
}

/**
 * Deletes every attachment of a report: rows first (the keys), then the objects, orphans included.
 * Kept originals live under the same prefix (storeEncrypted), so they go with the rest.
 */
export async function deleteReportAttachments(o: { db: Kysely<DB>; storage: BlobStorage; reportId: number }): Promise<void> {
  await repo.deleteForReport(o.db, o.reportId);
  await o.storage.deletePrefix(prefixOf(o.reportId));
}
