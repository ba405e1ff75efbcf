import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../test/helpers/unzip.js';
import { crc32, fitsInZip, safeFileName, uniqueNames, ZipLimitError, ZipWriter } from './zip.js';

async function collect(gen: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts);
}

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

const when = new Date('2026-03-14T15:09:26Z');

async function archive(files: [string, Uint8Array | AsyncIterable<Uint8Array>][]): Promise<Buffer> {
  const zip = new ZipWriter(when);
  const parts: Buffer[] = [];
  for (const [name, data] of files) parts.push(await collect(zip.add(name, data)));
  parts.push(await collect(zip.finish()));
  const out = Buffer.concat(parts);
  expect(out.length).toBe(zip.bytes);
  return out;
}

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('crc32', () => {
  it('agrees with zlib, in one piece and continued over chunks', () => {
    const data = crypto.randomBytes(100_003);
    expect(crc32(data)).toBe(zlib.crc32(data));
    expect(crc32(data.subarray(5000), crc32(data.subarray(0, 5000)))).toBe(zlib.crc32(data));
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('ZipWriter', () => {
  it('writes buffers and streams, empty ones too, with UTF-8 names, that a strict reader reads back', async () => {
    const big = crypto.randomBytes(300_000);
    const zip = await archive([
      ['case-1.html', Buffer.from('<!doctype html><p dir="auto">رشوة في الشباك</p>')],
      ['attachments/1-صورة.jpg', chunks(big.subarray(0, 70_000), Buffer.alloc(0), big.subarray(70_000))],
      ['attachments/2-vide.txt', chunks()],
      ['empty', Buffer.alloc(0)],
      ['ⵜⴰⵎⴰⵣⵉⵖⵜ.txt', chunks('ⴰⵣⵓⵍ')],
    ]);
    const entries = unzip(zip);
    expect([...entries.keys()]).toEqual(['case-1.html', 'attachments/1-صورة.jpg', 'attachments/2-vide.txt', 'empty', 'ⵜⴰⵎⴰⵣⵉⵖⵜ.txt']);
    expect(entries.get('attachments/1-صورة.jpg')!.data.equals(big)).toBe(true);
    expect(entries.get('attachments/1-صورة.jpg')!.descriptor).toBe(true);
    expect(entries.get('case-1.html')!.descriptor).toBe(false);
    expect(entries.get('case-1.html')!.data.toString()).toContain('رشوة في الشباك');
    expect(entries.get('attachments/2-vide.txt')!.data.length).toBe(0);
    expect(entries.get('ⵜⴰⵎⴰⵣⵉⵖⵜ.txt')!.data.toString()).toBe('ⴰⵣⵓⵍ');
    for (const e of entries.values()) {
      expect(e.utf8).toBe(true);
      expect(e.modified.toISOString()).toBe('2026-03-14T15:09:26.000Z');
      expect(e.mode).toBe(0o100644);
    }
  });

  it('writes an empty archive', async () => {
    const zip = await archive([]);
    expect(zip.length).toBe(22);
    expect(unzip(zip).size).toBe(0);
  });

  it.skipIf(!hasUnzip)('writes archives that Info-ZIP unzip tests and extracts byte for byte', async () => {
    const data = crypto.randomBytes(200_000);
    const zip = await archive([['a/ملف.bin', chunks(data.subarray(0, 1), data.subarray(1))], ['SHA256SUMS', Buffer.from('x\n')]]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nazaha-zip-'));
    try {
      fs.writeFileSync(path.join(dir, 'test.zip'), zip);
      execFileSync('unzip', ['-tq', 'test.zip'], { cwd: dir });
      execFileSync('unzip', ['-q', 'test.zip', '-d', 'out'], { cwd: dir });
      expect(fs.readFileSync(path.join(dir, 'out', 'a', 'ملف.bin')).equals(data)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams: a chunk goes out before the source has finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sourceDone = false;
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('first');
      await gate;
      yield Buffer.from('second');
      sourceDone = true;
    }
    const zip = new ZipWriter(when);
    const gen = zip.add('f', slow());
    const header = await gen.next();
    const first = await gen.next();
    expect(header.value!.readUInt32LE(0)).toBe(0x04034b50);
    expect(first.value!.toString()).toBe('first');
    expect(sourceDone).toBe(false);
    release();
    await collect({ [Symbol.asyncIterator]: () => gen });
    expect(sourceDone).toBe(true);
  });

  it('passes a failing source\'s error on', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('ok');
      throw new Error('decryption failed');
    }
    await expect(collect(new ZipWriter(when).add('f', broken()))).rejects.toThrow('decryption failed');
  });

  it('refuses what needs ZIP64, and a second finish', async () => {
    expect(fitsInZip(10, 100 * 1024 * 1024)).toBe(true);
    expect(fitsInZip(10, 2 ** 32)).toBe(false);
    expect(fitsInZip(70_000, 1000)).toBe(false);
    const zip = new ZipWriter(when);
    await collect(zip.finish());
    expect(() => zip.finish().next()).toThrow('already finished');
    expect(new ZipLimitError('x')).toBeInstanceOf(RangeError);
  });
});

describe('safe file names', () => {
  it('keeps one harmless path part', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('C:\\Users\\a\\photo.jpg')).toBe('C__Users_a_photo.jpg');
    expect(safeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(safeFileName('a\nb\tc.txt')).toBe('abc.txt');
    expect(safeFileName('  ..hidden. ')).toBe('hidden');
    expect(safeFileName('what?*<>|".pdf')).toBe('what______.pdf');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName('...')).toBe('file');
  });

  it('shortens long names on a character boundary and keeps the extension', () => {
    const arabic = `${'محضر'.repeat(40)}.pdf`;
    const short = safeFileName(arabic, 60);
    expect(Buffer.byteLength(short)).toBeLessThanOrEqual(60);
    expect(short.endsWith('.pdf')).toBe(true);
    expect(short).not.toContain('\uFFFD');
    expect(arabic.startsWith(short.slice(0, -4))).toBe(true);
  });

  it('de-duplicates as a case-insensitive file system compares', () => {
    expect(uniqueNames(['a.txt', 'A.txt', 'a.txt', 'b', 'b', 'a (2).txt'])).toEqual(['a.txt', 'A (2).txt', 'a (3).txt', 'b', 'b (2)', 'a (2) (2).txt']);
  });
});
