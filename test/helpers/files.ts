// Small files of each accepted type, built byte by byte, with metadata worth removing.
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import zlib from 'node:zlib';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const segment = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16(payload.length + 2), payload]);

/** The parts of a 1x1 grey baseline JPEG: one 8x8 block whose DC and AC codes are both "0". */
export const jpegParts = {
  soi: Buffer.from([0xff, 0xd8]),
  jfif: segment(0xe0, Buffer.from([...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0])),
  dqt: segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
  sof: segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
  dhtDc: segment(0xc4, Buffer.from([0x00, 1, ...Array(15).fill(0), 0x00])),
  dhtAc: segment(0xc4, Buffer.from([0x10, 1, ...Array(15).fill(0), 0x00])),
  sos: segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
  // DC category 0 ("0"), end of block ("0"), padded with ones.
  scan: Buffer.from([0x3f]),
  eoi: Buffer.from([0xff, 0xd9]),
};

/** EXIF with a GPS position (big-endian TIFF): IFD0 -> GPS IFD with latitude and a text tag. */
export function exifWithGps(canary: string): Buffer {
  const text = Buffer.from(`${canary}\0`);
  // Layout after "Exif\0\0": TIFF header (8), IFD0 at 8 (2 + 12 + 4 = 18), GPS IFD at 26
  // (2 + 3*12 + 4 = 42), latitude rationals at 68 (24), text at 92.
  const tiff = Buffer.concat([
    Buffer.from('MM\0*'), u32(8),
    u16(1), u16(0x8825), u16(4), u32(1), u32(26), u32(0),
    u16(3),
    u16(0x0001), u16(2), u32(2), Buffer.from('N\0\0\0'),
    u16(0x0002), u16(5), u32(3), u32(68),
    u16(0x001b), u16(7), u32(text.length), u32(92),
    u32(0),
    u32(33), u32(1), u32(35), u32(1), u32(1234), u32(100),
    text,
  ]);
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), tiff]));
}

export function jpegWithMetadata(canary: string): Buffer {
  const p = jpegParts;
  return Buffer.concat([
    p.soi, p.jfif, exifWithGps(canary),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>${canary}</dc:creator></x:xmpmeta>`)),
    segment(0xed, Buffer.from(`Photoshop 3.0\0${canary}`)),
    segment(0xfe, Buffer.from(`comment ${canary}`)),
    p.dqt, p.sof, p.dhtDc, p.dhtAc, p.sos, p.scan, p.eoi,
    Buffer.from(`trailer ${canary}`),
  ]);
}

/** What a clean JPEG of the same picture is: the metadata segments and trailer gone, the rest identical. */
export const cleanJpeg = (): Buffer => {
  const p = jpegParts;
  return Buffer.concat([p.soi, p.jfif, p.dqt, p.sof, p.dhtDc, p.dhtAc, p.sos, p.scan, p.eoi]);
};

/**
 * A JPEG with GPS EXIF and `canary` whose scan holds `scanBytes` bytes (kept by metadata removal)
 * followed by `trailerBytes` bytes after the end of the image (removed): sizes the two copies apart.
 */
export function paddedJpeg(canary: string, scanBytes: number, trailerBytes: number): Buffer {
  const p = jpegParts;
  // 0x3f never forms a marker, so the whole run reads as entropy-coded data.
  return Buffer.concat([p.soi, p.jfif, exifWithGps(canary), p.dqt, p.sof, p.dhtDc, p.dhtAc, p.sos, Buffer.alloc(scanBytes, 0x3f), p.eoi, Buffer.alloc(trailerBytes, 0x41)]);
}

export const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
};
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 1x1 grey PNG; `extra` chunks go between IHDR and IDAT. */
export function png(extra: Buffer[] = [], idat = zlib.deflateSync(Buffer.from([0, 0x80]))): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', Buffer.concat([u32(1), u32(1), Buffer.from([8, 0, 0, 0, 0])])),
    ...extra,
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function pdfWithAuthor(canary: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setAuthor(`${canary} author`);
  doc.setTitle(`${canary} title`);
  doc.setSubject(`${canary} subject`);
  doc.setKeywords([`${canary}-keyword`]);
  doc.setCreator(`${canary} creator`);
  doc.setProducer(`${canary} producer`);
  const page = doc.addPage([200, 200]);
  page.drawText('evidence', { x: 20, y: 100, size: 12 });
  const xmp = doc.context.stream(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>${canary} xmp</dc:creator></x:xmpmeta>`, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  // What an earlier revision of an edited file leaves behind: an object nothing refers to any more.
  doc.context.register(doc.context.obj({ Author: PDFString.of(`${canary} previous author`) }));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const le16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A zip of stored (uncompressed) entries, in order; `descriptors` puts sizes after the data, as LibreOffice does. */
export function zip(entries: [string, string][], descriptors = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const n = Buffer.from(name);
    const sizes = Buffer.concat([le32(crc32(data)), le32(data.length), le32(data.length)]);
    const common = Buffer.concat([le16(20), le16(descriptors ? 8 : 0), le16(0), le16(0), le16(0), sizes, le16(n.length), le16(0)]);
    const local = descriptors
      ? Buffer.concat([le32(0x04034b50), common.subarray(0, 10), Buffer.alloc(12), common.subarray(22), n, data, le32(0x08074b50), sizes])
      : Buffer.concat([le32(0x04034b50), common, n, data]);
    centrals.push(Buffer.concat([le32(0x02014b50), le16(20), common, le16(0), le16(0), le16(0), le32(0), le32(offset), n]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  return Buffer.concat([...locals, central, le32(0x06054b50), le16(0), le16(0), le16(entries.length), le16(entries.length), le32(central.length), le32(offset), le16(0)]);
}

export const docx = (options: { descriptors?: boolean; macros?: boolean } = {}) => zip([
  ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
  ['_rels/.rels', '<?xml version="1.0"?><Relationships/>'],
  ...(options.macros ? [['word/vbaProject.bin', 'Attribute VB_Name']] as [string, string][] : []),
  ['word/document.xml', '<?xml version="1.0"?><w:document/>'],
], options.descriptors);
export const odf = (mimetype: string) => zip([['mimetype', mimetype], ['content.xml', '<?xml version="1.0"?><office:document-content/>']]);
export const odt = () => odf('application/vnd.oasis.opendocument.text');

const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);

/** ID3v2 with a title frame, three MPEG-1 layer III frames (128 kbit/s, 44.1 kHz), then ID3v1. */
export function mp3WithTags(canary: string): { file: Buffer; audio: Buffer } {
  const title = Buffer.concat([Buffer.from([3]), Buffer.from(canary)]);
  const frame = Buffer.concat([Buffer.from('TIT2'), u32(title.length), Buffer.from([0, 0]), title]);
  const id3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0]), syncsafe(frame.length), frame]);
  const audioFrame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413, 0x55)]);
  const audio = Buffer.concat([audioFrame, audioFrame, audioFrame]);
  const v1 = Buffer.alloc(128);
  v1.write('TAG', 0, 'latin1');
  v1.write(canary.slice(0, 30), 3, 'latin1');
  return { file: Buffer.concat([id3, audio, v1]), audio };
}

const box = (type: string, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
};

/** ftyp, moov (mvhd, a track with its own udta, a GPS position in udta, Apple metadata), mdat. */
export function mp4WithLocation(canary: string): Buffer {
  return Buffer.concat([
    box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2mp41')),
    box('moov',
      box('mvhd', Buffer.alloc(100, 1)),
      box('trak', box('tkhd', Buffer.alloc(84, 2)), box('udta', box('name', Buffer.from(canary)))),
      box('udta', box('\xa9xyz', Buffer.from(`+33.5731-007.5898/ ${canary}`))),
      box('meta', Buffer.alloc(4), box('ilst', Buffer.from(canary)))),
    box('uuid', Buffer.from(`be7acfcb97a942e89c71999491e3afac<x:xmpmeta>${canary}</x:xmpmeta>`)),
    box('mdat', Buffer.alloc(2000, 0x42)),
  ]);
}
