// A streaming ZIP writer (APPNOTE 6.3.10), small on purpose: entries are stored, not compressed (the
// files of a case are mostly JPEG, PDF or MP4, which do not shrink, and storing keeps the bytes of each
// file exactly as they were), and a streamed entry's CRC and sizes follow its data in a data descriptor,
// so nothing is buffered whatever the size. Every reader that uses the central directory (Windows,
// macOS, Info-ZIP unzip, 7-Zip, Python) reads these archives.
//
// No ZIP64: an archive stops at 4 GiB and 65,535 entries; the writer throws before it would go past
// them (ZipLimitError), so callers check sizes up front with `fitsInZip`.

const MAX32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;
/** General purpose flags: bit 3, sizes in a data descriptor; bit 11, the name is UTF-8. */
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
/** Version 2.0: stored entries, data descriptors. */
const VERSION_NEEDED = 20;
/** Made on Unix (high byte 3), so that the external attributes below are read as permissions. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** A regular file readable by everyone, writable by its owner (0644), as unzip then creates it. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as ZIP uses it), continued from `crc` over `data`. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export class ZipLimitError extends RangeError {}

/** Whether `entries` files with `bytes` of content in all (names included) fit a ZIP without ZIP64. */
export function fitsInZip(entries: number, bytes: number): boolean {
  // Each entry costs at most a local header, a descriptor and a central header with a 255-byte name.
  return entries <= MAX_ENTRIES && bytes + entries * (30 + 9 + 16 + 46 + 9 + 2 * 255) + 22 <= MAX32;
}

/** MS-DOS date and time (two-second steps, from 1980), taken in UTC: the format has no time zone. */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

/** The "UT" extra field (0x5455) with the modification time in Unix seconds, which unzip shows in local time. */
function timestampField(d: Date): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4);
  b.writeUInt32LE(Math.max(0, Math.floor(d.getTime() / 1000)) >>> 0, 5);
  return b;
}

interface Written { name: Buffer; flags: number; crc: number; size: number; offset: number }

/**
 * Writes one archive. Each method yields the archive's bytes in order; the caller sends them on
 * (or hashes them) as they come and adds the next entry after the previous one is done.
 */
export class ZipWriter {
  private readonly entries: Written[] = [];
  private offset = 0;
  private readonly when: { date: number; time: number };
  private readonly extra: Buffer;
  private ended = false;

  constructor(modified: Date) {
    this.when = dosDateTime(modified);
    this.extra = timestampField(modified);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.offset;
  }

  /**
   * Adds a file. A Buffer is written with its CRC and size in the header; a stream of chunks is
   * written as it arrives, followed by a data descriptor.
   */
  async *add(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
    if (this.ended) throw new Error('the archive is already finished');
    if (this.entries.length >= MAX_ENTRIES) throw new ZipLimitError('more than 65,535 entries need ZIP64');
    const encoded = Buffer.from(name, 'utf8');
    if (encoded.length === 0 || encoded.length > 0xffff) throw new RangeError(`bad entry name length: ${encoded.length}`);
    const known = data instanceof Uint8Array;
    const entry: Written = { name: encoded, flags: FLAG_UTF8 | (known ? 0 : FLAG_DESCRIPTOR), crc: known ? crc32(data) : 0, size: known ? data.length : 0, offset: this.offset };
    this.check(entry.size);
    yield this.emit(this.localHeader(entry));
    if (known) {
      if (data.length) yield this.emit(Buffer.from(data.buffer, data.byteOffset, data.length));
    } else {
      let crc = 0;
      for await (const chunk of data) {
        if (chunk.length === 0) continue;
        crc = crc32(chunk, crc);
        entry.size += chunk.length;
        this.check(entry.size);
        yield this.emit(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      }
      entry.crc = crc;
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(entry.crc, 4);
      descriptor.writeUInt32LE(entry.size, 8);
      descriptor.writeUInt32LE(entry.size, 12);
      yield this.emit(descriptor);
    }
    this.entries.push(entry);
  }

  /** The central directory and its end record: the archive is complete after these bytes. */
  *finish(): Generator<Buffer> {
    if (this.ended) throw new Error('the archive is already finished');
    this.ended = true;
    const start = this.offset;
    for (const e of this.entries) yield this.emit(this.centralHeader(e));
    const size = this.offset - start;
    this.check(0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    yield this.emit(end);
  }

  private emit(b: Buffer): Buffer {
    this.offset += b.length;
    return b;
  }

  private check(entrySize: number): void {
    if (entrySize > MAX32 || this.offset > MAX32) throw new ZipLimitError('over 4 GiB needs ZIP64');
  }

  private localHeader(e: Written): Buffer {
    const b = Buffer.alloc(30 + e.name.length + this.extra.length);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(VERSION_NEEDED, 4);
    b.writeUInt16LE(e.flags, 6);
    b.writeUInt16LE(0, 8); // stored
    b.writeUInt16LE(this.when.time, 10);
    b.writeUInt16LE(this.when.date, 12);
    // With a data descriptor, CRC and sizes are zero here and follow the data.
    b.writeUInt32LE(e.crc, 14);
    b.writeUInt32LE(e.size, 18);
    b.writeUInt32LE(e.size, 22);
    b.writeUInt16LE(e.name.length, 26);
    b.writeUInt16LE(this.extra.length, 28);
    e.name.copy(b, 30);
    this.extra.copy(b, 30 + e.name.length);
    return b;
  }

  private centralHeader(e: Written): Buffer {
    const b = Buffer.alloc(46 + e.name.length + this.extra.length);
    b.writeUInt32LE(0x02014b50, 0);
    b.writeUInt16LE(VERSION_MADE_BY, 4);
    b.writeUInt16LE(VERSION_NEEDED, 6);
    b.writeUInt16LE(e.flags, 8);
    b.writeUInt16LE(0, 10);
    b.writeUInt16LE(this.when.time, 12);
    b.writeUInt16LE(this.when.date, 14);
    b.writeUInt32LE(e.crc, 16);
    b.writeUInt32LE(e.size, 20);
    b.writeUInt32LE(e.size, 24);
    b.writeUInt16LE(e.name.length, 28);
    b.writeUInt16LE(this.extra.length, 30);
    b.writeUInt16LE(0, 32); // comment
    b.writeUInt16LE(0, 34); // disk
    b.writeUInt16LE(0, 36); // internal attributes
    b.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    b.writeUInt32LE(e.offset, 42);
    e.name.copy(b, 46);
    this.extra.copy(b, 46 + e.name.length);
    return b;
  }
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A file name safe to extract anywhere: one path part (no folders, no "..", no drive), without
 * control or bidirectional formatting characters (which can disguise "exe.txt" as "txt.exe"), without
 * characters Windows refuses, not a Windows device name, at most `maxBytes` of UTF-8 with its
 * extension kept.
 */
export function safeFileName(name: string, maxBytes = 150): string {
  let clean = name.normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!clean) clean = 'file';
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  if (Buffer.byteLength(clean) <= maxBytes) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  let stem = clean.slice(0, clean.length - ext.length);
  // Cut whole code points, never half a character.
  while (Buffer.byteLength(stem + ext) > maxBytes) stem = Array.from(stem).slice(0, -1).join('');
  return stem.replace(/[.\s]+$/, '') + ext;
}

/** Names made unique the way file systems compare them (case-insensitively, after NFC): "a.txt", "a (2).txt". */
export function uniqueNames(names: string[]): string[] {
  const taken = new Set<string>();
  const key = (n: string) => n.normalize('NFC').toLowerCase();
  return names.map((n) => {
    let candidate = n;
    const dot = n.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [n.slice(0, dot), n.slice(dot)] : [n, ''];
    for (let i = 2; taken.has(key(candidate)); i++) candidate = `${stem} (${i})${ext}`;
    taken.add(key(candidate));
    return candidate;
  });
}
