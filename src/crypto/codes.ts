// Human-friendly secrets: groups of four characters from an alphabet without look-alikes, written
// down and read aloud by people (recovery codes, recovery keys, receipts).
import { randomBytes } from './box.js';

// Crockford's base32 alphabet: digits and capitals without I, L, O and U.
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `groups` groups of four characters, 20 bits each, e.g. groups=5 gives 100 bits. */
export function randomCode(groups: number): string {
  const chars: string[] = [];
  const bytes = randomBytes(groups * 4);
  for (const b of bytes) chars.push(ALPHABET[b & 31]!);
  return chars.join('').replace(/(.{4})(?=.)/g, '$1-');
}

/** Reads a code as typed: case, spaces, hyphens and the usual confusions (O→0, I/L→1) forgiven. */
export function normalizeCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return cleaned.replace(/(.{4})(?=.)/g, '$1-');
}
