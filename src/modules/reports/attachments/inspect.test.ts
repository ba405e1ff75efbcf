import { Readable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { cleanJpeg, docx, jpegWithMetadata, mp3WithTags, mp4WithLocation, odf, odt, pdfWithAuthor, png, pngChunk } from '../../../../test/helpers/files.js';
import { AppError } from '../../../errors.js';
import { inspectAndStrip } from './inspect.js';

const CANARY = `canary-${Date.now()}-ⵜⴰⵣⴷⴷⵉⴳⵜ`;
// PDF writes non-ASCII text as UTF-16: an ASCII canary can be searched for in the bytes.
const ASCII_CANARY = `canary-${Date.now()}-pdf`;
const options = { pdfMaxBytes: 1024 * 1024 };

/** Feeds a buffer in small pieces, so parsers meet every boundary. */
const source = (data: Buffer, piece = 5) => Readable.from((function* () {
  for (let i = 0; i < data.length; i += piece) yield data.subarray(i, i + piece);
})());

async function run(data: Buffer, name: string, piece?: number) {
  const r = await inspectAndStrip(source(data, piece), name, options);
  const parts: Buffer[] = [];
  for await (const c of r.stream) parts.push(c as Buffer);
  return { ...r, out: Buffer.concat(parts) };
}

async function refusal(data: Buffer, name: string): Promise<string> {
  try {
    await run(data, name);
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('metadata removal', () => {
  it('JPEG: drops EXIF with its GPS position, XMP, IPTC, comments and trailing data, and keeps the image byte for byte', async () => {
    for (const piece of [1, 7, 4096]) {
      const r = await run(jpegWithMetadata(CANARY), 'photo.JPG', piece);
      expect(r.type).toBe('jpeg');
      expect(r.out.equals(cleanJpeg())).toBe(true);
      expect(r.out.includes(CANARY)).toBe(false);
      expect(r.stripped.sort()).toEqual(['jpeg:comment', 'jpeg:exif', 'jpeg:iptc', 'jpeg:trailing-data', 'jpeg:xmp']);
    }
  });

  it('JPEG: refuses one cut before its end', async () => {
    const whole = jpegWithMetadata(CANARY);
    expect(await refusal(whole.subarray(0, whole.indexOf(Buffer.from([0xff, 0xd9])) - 1), 'cut.jpg')).toBe('attachment_unreadable');
  });

  it('PNG: drops tEXt, zTXt, iTXt, eXIf and tIME chunks, and keeps the image chunks', async () => {
    const meta = [
      pngChunk('tEXt', Buffer.from(`Author\0${CANARY}`)),
      pngChunk('iTXt', Buffer.from(`Description\0\0\0\0\0${CANARY}`)),
      pngChunk('zTXt', Buffer.from('Comment\0\0x')),
      pngChunk('eXIf', Buffer.from(`MM\0*${CANARY}`)),
      pngChunk('tIME', Buffer.from([7, 234, 11, 27, 1, 10, 0])),
    ];
    const r = await run(png(meta), 'scan.png', 3);
    expect(r.out.equals(png())).toBe(true);
    expect(r.out.includes(CANARY)).toBe(false);
    expect(r.stripped.sort()).toEqual(['png:eXIf', 'png:iTXt', 'png:tEXt', 'png:tIME', 'png:zTXt']);
  });

  it('PDF: removes the information dictionary, the XMP stream and orphaned objects, and the page is still there', async () => {
    const input = await pdfWithAuthor(ASCII_CANARY);
    expect(input.includes(ASCII_CANARY)).toBe(true);
    expect(input.includes(`${ASCII_CANARY} previous author`)).toBe(true);
    const r = await run(input, 'letter.pdf', 1000);
    expect(r.out.includes(ASCII_CANARY)).toBe(false);
    expect(r.stripped).toEqual(expect.arrayContaining(['pdf:info:Author', 'pdf:info:Title', 'pdf:info:Producer', 'pdf:xmp']));
    const reopened = await PDFDocument.load(r.out, { updateMetadata: false });
    expect(reopened.getPageCount()).toBe(1);
    expect(reopened.getAuthor()).toBeUndefined();
  });

  it('PDF: refuses one over the PDF cap, and a damaged one', async () => {
    const input = await pdfWithAuthor(CANARY);
    await expect(inspectAndStrip(source(input, 100), 'big.pdf', { pdfMaxBytes: 100 }).then(async (r) => {
      for await (const _ of r.stream);
    })).rejects.toMatchObject({ code: 'attachment_too_large' });
    expect(await refusal(Buffer.from('%PDF-1.7\nnot really a pdf'), 'broken.pdf')).toBe('attachment_unreadable');
  });

  it('MP3: drops the ID3v2 and ID3v1 tags and keeps the audio frames', async () => {
    const { file, audio } = mp3WithTags(CANARY);
    const r = await run(file, 'interview.mp3', 50);
    expect(r.out.equals(audio)).toBe(true);
    expect(r.stripped.sort()).toEqual(['mp3:id3v1', 'mp3:id3v2']);
  });

  it('MP4: blanks user data (GPS), metadata and XMP boxes in place, keeping every size and offset', async () => {
    const input = mp4WithLocation(CANARY);
    const r = await run(input, 'video.mp4', 33);
    expect(r.out.length).toBe(input.length);
    expect(r.out.includes(CANARY)).toBe(false);
    expect(r.out.subarray(r.out.length - 2000).equals(Buffer.alloc(2000, 0x42))).toBe(true);
    expect(r.stripped.sort()).toEqual(['mp4:meta', 'mp4:udta', 'mp4:uuid']);
  });

  it('passes plain text and office documents through', async () => {
    const text = Buffer.from(`Le 3 mars, ${CANARY}\r\nسطر ثان\n`);
    expect((await run(text, 'notes.txt')).out.equals(text)).toBe(true);
    expect((await run(docx(), 'letter.docx')).type).toBe('docx');
    expect((await run(docx({ descriptors: true }), 'letter.docx')).out.equals(docx({ descriptors: true }))).toBe(true);
    expect((await run(odt(), 'letter.odt')).type).toBe('odt');
  });
});

describe('types', () => {
  it.each([
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'), 'page.txt', 'attachment_type_dangerous'],
    ['HTML after blank lines', Buffer.from('\n\n  <html><script>alert(1)</script>'), 'notes.txt', 'attachment_type_dangerous'],
    ['an SVG image', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image.svg', 'attachment_type_dangerous'],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'invoice.pdf', 'attachment_type_dangerous'],
    ['an ELF executable', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]), 'run.txt', 'attachment_type_dangerous'],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'notes.txt', 'attachment_type_dangerous'],
    ['text named as a script', Buffer.from('console.log(1)'), 'tool.js', 'attachment_type_dangerous'],
    ['a Word document with macros', docx({ macros: true }), 'letter.docx', 'attachment_type_dangerous'],
    ['an ODF spreadsheet', odf('application/vnd.oasis.opendocument.spreadsheet'), 'sheet.odt', 'attachment_type_unknown'],
    ['an ODF text template', odf('application/vnd.oasis.opendocument.text-template'), 'letter.odt', 'attachment_type_unknown'],
    ['a plain zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array(40).fill(0)]), 'archive.docx', 'attachment_type_unknown'],
    ['binary noise', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x99]), 'data.txt', 'attachment_type_unknown'],
    ['a PNG named .jpg', png(), 'photo.jpg', 'attachment_type_mismatch'],
    ['text named .pdf', Buffer.from('hello'), 'report.pdf', 'attachment_type_mismatch'],
    ['a JPEG without extension', cleanJpeg(), 'photo', 'attachment_type_mismatch'],
    ['text that turns into binary after the first 64 KiB', Buffer.concat([Buffer.alloc(70_000, 'a'), Buffer.from([0, 0xff])]), 'notes.txt', 'attachment_type_mismatch'],
  ])('refuses %s', async (_what, data, name, code) => {
    expect(await refusal(data, name)).toBe(code);
  });
});
