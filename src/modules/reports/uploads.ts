// Files arriving in a multipart form (reporter's follow-up page, case page), each streamed straight
// into the attachment pipeline: no file is buffered whole or written anywhere in clear.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { BlobStorage } from '../../storage/index.js';
import { type AddAttachment, addAttachment, type Attachment, type AttachmentLimits } from './attachments/service.js';

export interface UploadTarget {
  database: Database;
  storage: BlobStorage;
  limits: AttachmentLimits;
  reportId: number;
  reportPublicKey: Uint8Array;
  author: AddAttachment['author'];
}

/** Adds every file of the form; stops at the first refusal (files before it stay added). */
export async function receiveFiles(request: FastifyRequest, target: UploadTarget): Promise<{ added: Attachment[]; error?: AppError }> {
  const added: Attachment[] = [];
  if (!request.isMultipart()) return { added, error: new AppError('unsupported_media_type') };
  try {
    for await (const part of request.files()) {
      // A file input left empty still sends a part, with no name and no bytes.
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      added.push(await addAttachment({
        db: target.database.db, storage: target.storage, reportId: target.reportId, reportPublicKey: target.reportPublicKey,
        stream: part.file, declaredName: part.filename, limits: target.limits, author: target.author,
      }));
    }
  } catch (err) {
    if (err instanceof AppError) return { added, error: err };
    // @fastify/multipart's own limits (too many files or fields).
    if ((err as { statusCode?: number }).statusCode === 413) return { added, error: new AppError('attachment_too_large') };
    throw err;
  }
  return { added };
}
