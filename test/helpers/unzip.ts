// A strict reader for the stored (uncompressed) ZIP archives the portal writes, written apart from the
// writer so that tests check the format rather than the writer against itself: it follows the central
// directory, checks that every local header and data descriptor agrees with it, and checks CRCs with
// Node's own zlib.crc32. It throws on anything it does not expect.
import zlib from 'node:zlib';

export interface UnzippedEntry { name: string; data: Buffer; utf8: boolean; descriptor: boolean; modified: Date; mode: number }

export function unzip(zip: Buffer): Map<string, UnzippedEntry> {
  const eocd = zip.length - 22;
  if (eocd < 0 || zip.readUInt32LE(eocd) !== 0x06054b50) throw new Error('no end of central directory record (or an archive comment)');
  const count = zip.readUInt16LE(eocd + 10);
  if (zip.readUInt16LE(eocd + 8) !== count) throw new Error('entries on this disk differ from the total');
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize !== eocd) throw new Error('central directory does not end where the end record starts');
  const entries = new Map<string, UnzippedEntry>();
  let p = cdOffset;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const flags = zip.readUInt16LE(p + 8);
    if (zip.readUInt16LE(p + 10) !== 0) throw new Error('compressed entry');
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 20);
    if (zip.readUInt32LE(p + 24) !== size) throw new Error('stored entry with different sizes');
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const offset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString((flags & 0x0800) ? 'utf8' : 'latin1');
    p += 46 + nameLength + extraLength + commentLength;

    // Entries follow each other with nothing in between.
    if (offset !== expectedLocal) throw new Error(`${name}: local header at ${offset}, expected ${expectedLocal}`);
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const localFlags = zip.readUInt16LE(offset + 6);
    if (localFlags !== flags) throw new Error(`${name}: flags differ`);
    const localNameLength = zip.readUInt16LE(offset + 26);
    const localExtraLength = zip.readUInt16LE(offset + 28);
    if (zip.subarray(offset + 30, offset + 30 + localNameLength).toString((flags & 0x0800) ? 'utf8' : 'latin1') !== name) throw new Error(`${name}: names differ`);
    const extra = zip.subarray(offset + 30 + localNameLength, offset + 30 + localNameLength + localExtraLength);
    const modified = extra.length >= 9 && extra.readUInt16LE(0) === 0x5455 ? new Date(extra.readUInt32LE(5) * 1000) : new Date(NaN);
    const start = offset + 30 + localNameLength + localExtraLength;
    const data = zip.subarray(start, start + size);
    if (data.length !== size) throw new Error(`${name}: cut short`);
    const descriptor = (flags & 0x0008) !== 0;
    if (descriptor) {
      if (zip.readUInt32LE(offset + 14) !== 0 || zip.readUInt32LE(offset + 18) !== 0) throw new Error(`${name}: sizes in a header that has a descriptor`);
      const d = start + size;
      if (zip.readUInt32LE(d) !== 0x08074b50 || zip.readUInt32LE(d + 4) !== crc || zip.readUInt32LE(d + 8) !== size || zip.readUInt32LE(d + 12) !== size) throw new Error(`${name}: descriptor disagrees`);
      expectedLocal = d + 16;
    } else {
      if (zip.readUInt32LE(offset + 14) !== crc || zip.readUInt32LE(offset + 18) !== size) throw new Error(`${name}: local header disagrees`);
      expectedLocal = start + size;
    }
    if (zlib.crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    if (entries.has(name)) throw new Error(`${name}: twice`);
    entries.set(name, { name, data: Buffer.from(data), utf8: (flags & 0x0800) !== 0, descriptor, modified, mode });
  }
  if (expectedLocal !== cdOffset) throw new Error('bytes between the last entry and the central directory');
  return entries;
}
