import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['short', 'too_short'],
    ['elevenchars', 'too_short'],
    ['123456789012', 'common'],
    ['Password1234', 'common'],
    ['Motdepasse2026!', 'common'],
    ['!!Casablanca!!', 'common'],
    ['aaaaaaaaaaaaaaa', 'common'],
    ['abababababab', 'common'],
    ['abcdefghijklmnop', 'common'],
    ['x'.repeat(201), 'too_long'],
  ])('refuses %s (%s)', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('refuses the e-mail name as password', () => {
    expect(passwordProblem('karima.bennani2026', { email: 'karima.bennani@inpplc.ma' })).toBe('personal');
  });

  it.each(['correct horse battery staple', 'ⵜⴰⵣⴷⴷⵉⴳⵜ ⴷ ⵜⴰⴼⵓⴽⵜ', 'كلمة سر طويلة جدا', 'no composition rules at all'])('accepts a long passphrase: %s', (password) => {
    expect(passwordProblem(password, { email: 'someone@example.org' })).toBeNull();
  });
});
