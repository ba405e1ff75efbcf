// Receipts: a lookup id (two groups, 40 bits) and a secret (three groups, 60 bits), shown together
// as five blocks of four capitals and digits, e.g. 7KQ2-M9XD-4HTP-ZZ3Q-88AB: 100 bits in all.
// Only an Argon2id hash of the secret is stored; the whole receipt also derives the key that opens
// the report for its reporter. Guessing: see docs/security-model.md ("Receipts").
import { normalizeCode, randomCode } from '../../crypto/codes.js';

export interface Receipt { text: string; lookup: string; secret: string }

export function newReceipt(): Receipt {
  const text = randomCode(5);
  return { text, lookup: text.slice(0, 9), secret: text.slice(10) };
}

/** Reads a typed receipt; null when it cannot be one (wrong length or characters). */
export function parseReceipt(input: string): Receipt | null {
  const text = normalizeCode(input.slice(0, 80));
  if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(text)) return null;
  return { text, lookup: text.slice(0, 9), secret: text.slice(10) };
}
