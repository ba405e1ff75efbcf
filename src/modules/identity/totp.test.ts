import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, stepAt, verifyTotp } from './totp.js';

// RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits.
const rfcSecret = Buffer.from('12345678901234567890');

describe('TOTP', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
  ])('matches the RFC 6238 vector at t=%i', (t, code) => {
    expect(hotp(rfcSecret, Math.floor(t / 30), 8)).toBe(code);
  });

  it('accepts the current code and its neighbours, refuses others and replays', () => {
    const now = 1_800_000_000_000;
    const step = stepAt(now);
    expect(verifyTotp(rfcSecret, hotp(rfcSecret, step), { now })).toBe(step);
    expect(verifyTotp(rfcSecret, hotp(rfcSecret, step - 1), { now })).toBe(step - 1);
    expect(verifyTotp(rfcSecret, hotp(rfcSecret, step - 3), { now })).toBeNull();
    expect(verifyTotp(rfcSecret, hotp(rfcSecret, step), { now, lastStep: step })).toBeNull();
    expect(verifyTotp(rfcSecret, 'abcdef', { now })).toBeNull();
    expect(verifyTotp(rfcSecret, `${hotp(rfcSecret, step).slice(0, 3)} ${hotp(rfcSecret, step).slice(3)}`, { now })).toBe(step);
  });

  it('base32 round-trips and builds an otpauth URI', () => {
    const secret = Buffer.from('0123456789abcdefghij');
    expect(base32Decode(base32Encode(secret)).equals(secret)).toBe(true);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(otpauthUri({ secret, account: 'a@b.ma', issuer: 'Nazaha' })).toMatch(/^otpauth:\/\/totp\/Nazaha%3Aa%40b\.ma\?secret=[A-Z2-7]+&issuer=Nazaha/);
  });
});
