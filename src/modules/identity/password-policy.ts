// Password rules (NIST SP 800-63B): at least 12 characters, no composition rules, and refusal of
// passwords that are common or that pad a common word to the minimum length.
import fs from 'node:fs';
import { projectPath } from '../../paths.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

const common = new Set(
  fs.readFileSync(projectPath('data', 'reference', 'common-passwords.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')),
);

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'personal';

export function passwordProblem(password: string, context: { email?: string } = {}): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (common.has(lower)) return 'common';
  // A common word padded with digits and symbols ("Motdepasse2026!").
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core.length > 0 && common.has(core)) return 'common';
  // One character repeated, or a run of consecutive characters ("aaaaaaaaaaaa", "abcdefghijklm").
  if (new Set(lower).size <= 2) return 'common';
  const codes = [...lower].map((c) => c.codePointAt(0)!);
  if (codes.every((c, i) => i === 0 || Math.abs(c - codes[i - 1]!) === 1)) return 'common';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.replace(/[^\p{L}]/gu, '') === local.replace(/[^\p{L}]/gu, '')) return 'personal';
  return null;
}
