// The gate every attachment passes before it is encrypted: its type is read from its content, it
// must be on the accepted list and agree with its name, and its metadata (camera, GPS position,
// author, software, dates) is removed, because it can identify the reporter.
import { PassThrough, pipeline, Readable, type Transform } from 'node:stream';
import { AppError } from '../../../errors.js';
import { type AttachmentType, attachmentTypes, dangerousExtensions, detect, extensionOf } from './detect.js';
import { jpegStripper } from './jpeg.js';
import { mp3Stripper } from './mp3.js';
import { mp4Stripper } from './mp4.js';
import { pdfStripper } from './pdf.js';
import { pngStripper } from './png.js';
import { textChecker } from './text.js';

/** Bytes read before deciding the type: enough for zip entry names and text sniffing. */
export const HEAD_BYTES = 64 * 1024;

export interface Inspected {
  type: AttachmentType;
  mime: string;
  /** The file without its metadata; fails with an AppError if the content turns out to be bad. */
  stream: Readable;
  /** What was removed (e.g. "jpeg:exif", "pdf:info:Author"); complete once `stream` has ended. */
  stripped: string[];
  /** False when `stream` is the input byte for byte (text, office documents): nothing to keep an original of. */
  mayChange: boolean;
}

export interface InspectOptions {
  /** Largest PDF accepted (PDFs are rewritten in memory); ATTACHMENT_PDF_MAX_BYTES, 20 MiB by default. */
  pdfMaxBytes: number;
}

const defaults: InspectOptions = { pdfMaxBytes: 20 * 1024 * 1024 };

/** Reads the first `size` bytes, and gives a stream that replays them followed by the rest. */
async function peek(input: Readable, size: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    parts.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(parts, length);
  async function* replay() {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  // Destroying the replay stream returns the iterator, which destroys the input.
  const stream = Readable.from(replay(), { objectMode: false });
  stream.once('close', () => void iterator.return?.());
  return { head, stream };
}

/** Types whose check passes the bytes on as they came (see stripperFor). */
const unchanging = new Set<AttachmentType>(['text', 'docx', 'odt']);

function stripperFor(type: AttachmentType, stripped: string[], options: InspectOptions): Transform {
  switch (type) {
    case 'jpeg': return jpegStripper(stripped);
    case 'png': return pngStripper(stripped);
    case 'pdf': return pdfStripper(stripped, options.pdfMaxBytes);
    case 'text': return textChecker();
    case 'mp3': return mp3Stripper(stripped);
    case 'mp4': return mp4Stripper(stripped);
    // Office documents pass as they are: see docs/security-model.md (their properties are kept).
    case 'docx':
    case 'odt': return new PassThrough();
  }
}

/**
 * Decides whether a file may be attached and gives it back without metadata. Refusals are AppErrors:
 * attachment_type_dangerous (executables, scripts, HTML, SVG, by content or by name),
 * attachment_type_unknown (content of a type not accepted), attachment_type_mismatch (content and
 * name disagree), attachment_unreadable (a damaged or encrypted file), attachment_too_large (a PDF
 * over the cap). The input is destroyed on refusal.
 */
export async function inspectAndStrip(input: Readable, declaredName: string, options: InspectOptions = defaults): Promise<Inspected> {
  const { head, stream: replayed } = await peek(input, HEAD_BYTES);
  const refuse = (err: AppError): never => {
    replayed.destroy();
    input.destroy();
    throw err;
  };
  const extension = extensionOf(declaredName);
  const found = detect(head);
  if (found.verdict === 'dangerous') refuse(new AppError('attachment_type_dangerous', { message: `content: ${found.what}` }));
  if (dangerousExtensions.has(extension)) refuse(new AppError('attachment_type_dangerous', { message: `name ending in .${extension}` }));
  if (found.verdict !== 'allowed') return refuse(new AppError('attachment_type_unknown'));
  const { type } = found;
  if (!attachmentTypes[type].extensions.includes(extension)) {
    refuse(new AppError('attachment_type_mismatch', { message: `${type} content named .${extension || '(no extension)'}` }));
  }
  const stripped: string[] = [];
  const stripper = stripperFor(type, stripped, options);
  // An error anywhere (the source, a size limit before it, the stripper) ends up on `stripper`.
  pipeline(replayed, stripper, () => {});
  return { type, mime: attachmentTypes[type].mime, stream: stripper, stripped, mayChange: !unchanging.has(type) };
}
