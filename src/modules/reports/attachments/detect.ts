// What a file is, judged from its first bytes rather than from its name or the browser's word. Only a
// short list of types is accepted: what reporters need for evidence, and what staff can open safely.
export type AttachmentType = 'jpeg' | 'png' | 'pdf' | 'text' | 'docx' | 'odt' | 'mp3' | 'mp4';

export const attachmentTypes: Record<AttachmentType, { mime: string; extensions: readonly string[] }> = {
  jpeg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  text: { mime: 'text/plain; charset=utf-8', extensions: ['txt'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  mp3: { mime: 'audio/mpeg', extensions: ['mp3'] },
  mp4: { mime: 'video/mp4', extensions: ['mp4', 'm4a', 'm4v'] },
};

/** Names that run code or render active content when opened, whatever the file holds. */
export const dangerousExtensions = new Set([
  'exe', 'dll', 'com', 'scr', 'msi', 'msp', 'pif', 'cpl', 'sys', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'mjs', 'cjs', 'jse',
  'wsf', 'wsh', 'hta', 'lnk', 'reg', 'jar', 'apk', 'app', 'dmg', 'pkg', 'deb', 'rpm', 'sh', 'bash', 'zsh', 'csh', 'py', 'pl', 'rb',
  'php', 'phtml', 'asp', 'aspx', 'jsp', 'cgi', 'html', 'htm', 'xhtml', 'shtml', 'mht', 'mhtml', 'svg', 'svgz', 'xml', 'xsl', 'swf',
  'docm', 'dotm', 'xlsm', 'pptm', 'iso', 'img', 'vhd', 'elf', 'bin', 'run', 'appimage', 'wasm',
]);

export type Detection = { verdict: 'allowed'; type: AttachmentType } | { verdict: 'dangerous'; what: string } | { verdict: 'unknown' };

/** The lower-case extension of a declared file name, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase().trim() : '';
}

const startsWith = (b: Buffer, bytes: Buffer | number[] | string, at = 0) => {
  const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return b.length >= at + sig.length && b.subarray(at, at + sig.length).equals(sig);
};

const executables: [string, number[] | string][] = [
  ['Windows executable', 'MZ'],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['Mach-O executable', [0xfe, 0xed, 0xfa, 0xce]],
  ['Mach-O executable', [0xfe, 0xed, 0xfa, 0xcf]],
  ['Mach-O executable', [0xce, 0xfa, 0xed, 0xfe]],
  ['Mach-O executable', [0xcf, 0xfa, 0xed, 0xfe]],
  ['Java class or universal binary', [0xca, 0xfe, 0xba, 0xbe]],
  ['WebAssembly', [0x00, 0x61, 0x73, 0x6d]],
  ['Android executable', 'dex\n'],
  ['Windows shortcut', [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]],
  ['script', '#!'],
];

// The tags with which browsers decide that a document is HTML (WHATWG MIME Sniffing, "text/html"),
// plus XML, which can be SVG or XHTML.
const markupStarts = ['<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a', '<style', '<title', '<b', '<body', '<br', '<p', '<!--'];
const activeMarkup = /<\s*(script|svg|html|iframe|object|embed|xml|\?xml|meta\s+http-equiv)\b/i;

function markup(text: string): string | undefined {
  const t = text.replace(/^\uFEFF?[\t\n\f\r ]*/, '').toLowerCase();
  if (t.startsWith('<?xml') || t.startsWith('<svg')) return 'XML or SVG document';
  for (const start of markupStarts) {
    const next = t.charAt(start.length);
    if (t.startsWith(start) && (next === ' ' || next === '>' || (start === '<!--' && next !== ''))) return 'HTML document';
  }
  // Anywhere in the first bytes: an old viewer or a careless "open in browser" could still run it.
  if (activeMarkup.test(t)) return 'text with active HTML or SVG content';
  return undefined;
}

// Control characters that never occur in human-written text (tab, line feed, vertical tab, form
// feed, carriage return and escape are allowed).
export const forbiddenControl = /[\x00-\x08\x0E-\x1A\x1C-\x1F\x7F]/;

/** UTF-8 text without odd control characters; `head` may end in the middle of a character. */
function asText(head: Buffer): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return forbiddenControl.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

/**
 * Reads the entry names at the start of a zip file: ODT names its type in a first "mimetype" entry,
 * DOCX keeps its parts under word/. Entries are found by their signature rather than by skipping
 * sizes, which many writers (LibreOffice among them) only give after the data.
 */
function zipKind(head: Buffer): Detection {
  const first = head.readUInt16LE(26);
  if (head.toString('latin1', 30, 30 + first) === 'mimetype') {
    const data = 30 + first + head.readUInt16LE(28);
    const value = head.toString('latin1', data, data + ODT_MIMETYPE.length + 1);
    // "…text" exactly: templates ("…text-template") and other ODF types are not accepted.
    return value === ODT_MIMETYPE || value === `${ODT_MIMETYPE}P` ? { verdict: 'allowed', type: 'odt' } : { verdict: 'unknown' };
  }
  let word = false;
  for (let at = 0; (at = head.indexOf(ZIP_LOCAL, at)) !== -1 && at + 30 <= head.length; at += 4) {
    const length = head.readUInt16LE(at + 26);
    const name = head.toString('latin1', at + 30, Math.min(head.length, at + 30 + length));
    if (name === 'word/vbaProject.bin') return { verdict: 'dangerous', what: 'Word document with macros' };
    if (/^word\/[\w./-]+\.(xml|rels)$/.test(name)) word = true;
  }
  return word ? { verdict: 'allowed', type: 'docx' } : { verdict: 'unknown' };
}

function mp3(head: Buffer): boolean {
  if (startsWith(head, 'ID3') && head.length >= 10 && head[3]! >= 2 && head[3]! <= 4) return true;
  // An MPEG audio frame header: 11 sync bits, a known version, layer III, a valid bitrate and rate.
  if (head.length < 4 || head[0] !== 0xff || (head[1]! & 0xe0) !== 0xe0) return false;
  const version = (head[1]! >> 3) & 3;
  const layer = (head[1]! >> 1) & 3;
  const bitrate = head[2]! >> 4;
  const rate = (head[2]! >> 2) & 3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

const mp4Brands = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4A ', 'dash', '3gp4', '3gp5', '3gp6', '3g2a', 'MSNV']);

export function detect(head: Buffer): Detection {
  for (const [what, sig] of executables) if (startsWith(head, sig)) return { verdict: 'dangerous', what };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { verdict: 'allowed', type: 'jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { verdict: 'allowed', type: 'png' };
  if (startsWith(head, '%PDF-')) return { verdict: 'allowed', type: 'pdf' };
  if (startsWith(head, ZIP_LOCAL) && head.length >= 30) return zipKind(head);
  if (startsWith(head, 'ftyp', 4) && mp4Brands.has(head.toString('latin1', 8, 12))) return { verdict: 'allowed', type: 'mp4' };
  if (mp3(head)) return { verdict: 'allowed', type: 'mp3' };
  const text = asText(head);
  if (text !== undefined) {
    const what = markup(text);
    return what ? { verdict: 'dangerous', what } : { verdict: 'allowed', type: 'text' };
  }
  return { verdict: 'unknown' };
}
