// Removes metadata from a PDF: the document information dictionary (author, creator, producer, title,
// subject, keywords, dates), every XMP metadata stream (document, pages, images), application private
// data (PieceInfo), the file identifier, and scripts run on opening. Objects left unreferenced (older
// revisions of an edited file keep previous metadata) are dropped when the file is written anew.
// A PDF cannot be rewritten as a stream: the whole file is held in memory, up to a size cap.
import { Transform, type TransformCallback } from 'node:stream';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { AppError } from '../../../errors.js';
import { noter } from './noted.js';

const OUT_CHUNK = 64 * 1024;
const INFO_FIELDS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped'];

const dictOf = (o: PDFObject | undefined): PDFDict | undefined => (o instanceof PDFDict ? o : o instanceof PDFStream ? o.dict : undefined);

/** Every object reachable from the catalog: what the rewritten file needs. */
function reachable(doc: PDFDocument): Set<PDFRef> {
  const seen = new Set<PDFRef>();
  const stack: PDFObject[] = doc.context.trailerInfo.Root ? [doc.context.trailerInfo.Root] : [];
  while (stack.length) {
    const o = stack.pop()!;
    if (o instanceof PDFRef) {
      if (seen.has(o)) continue;
      seen.add(o);
      const target = doc.context.lookup(o);
      if (target) stack.push(target);
    } else if (o instanceof PDFArray) {
      for (let i = 0; i < o.size(); i++) stack.push(o.get(i));
    } else {
      const d = dictOf(o);
      if (d) for (const [, v] of d.entries()) stack.push(v);
    }
  }
  return seen;
}

export async function stripPdf(bytes: Uint8Array, stripped: string[]): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    // updateMetadata: false, or pdf-lib would write its own producer and dates.
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
    // pdf-lib reads almost anything; a document without a catalog or pages is not one.
    if (!(doc.context.lookup(doc.context.trailerInfo.Root) instanceof PDFDict) || doc.getPageCount() === 0) throw new Error('no catalog or no page');
  } catch (err) {
    throw new AppError('attachment_unreadable', { message: 'PDF: cannot be parsed or is encrypted', cause: err });
  }
  const note = noter(stripped);
  const { context } = doc;
  const info = context.trailerInfo.Info ? dictOf(context.lookup(context.trailerInfo.Info)) : undefined;
  if (info) {
    for (const field of INFO_FIELDS) if (info.has(PDFName.of(field))) note(`pdf:info:${field}`);
    if (info.keys().some((k) => !INFO_FIELDS.includes(k.decodeText()))) note('pdf:info:other');
  }
  context.trailerInfo.Info = undefined;
  if (context.trailerInfo.ID) note('pdf:id');
  context.trailerInfo.ID = undefined;

  const catalog = doc.catalog;
  for (const key of ['OpenAction', 'AA']) {
    if (catalog.has(PDFName.of(key))) {
      catalog.delete(PDFName.of(key));
      note('pdf:open-action');
    }
  }
  const names = catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  if (names?.has(PDFName.of('JavaScript'))) {
    names.delete(PDFName.of('JavaScript'));
    note('pdf:javascript');
  }
  for (const [, object] of context.enumerateIndirectObjects()) {
    const d = dictOf(object);
    if (!d) continue;
    if (d.has(PDFName.of('Metadata'))) {
      d.delete(PDFName.of('Metadata'));
      note('pdf:xmp');
    }
    if (d.has(PDFName.of('PieceInfo'))) {
      d.delete(PDFName.of('PieceInfo'));
      note('pdf:piece-info');
    }
  }
  const keep = reachable(doc);
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!keep.has(ref)) context.delete(ref);
  }
  try {
    return await doc.save({ updateFieldAppearances: false });
  } catch (err) {
    throw new AppError('attachment_unreadable', { message: 'PDF: cannot be written back', cause: err });
  }
}

/** Collects the PDF (refusing it past `maxBytes`), strips it, and passes the result on. */
export function pdfStripper(stripped: string[], maxBytes: number): Transform {
  const parts: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) return done(new AppError('attachment_too_large', { message: `PDF larger than ${maxBytes} bytes` }));
      parts.push(chunk);
      done();
    },
    flush(done: TransformCallback) {
      const whole = Buffer.concat(parts, size);
      parts.length = 0;
      stripPdf(whole, stripped).then((out) => {
        for (let i = 0; i < out.length; i += OUT_CHUNK) this.push(out.subarray(i, i + OUT_CHUNK));
        done();
      }, (err: Error) => done(err));
    },
  });
}
