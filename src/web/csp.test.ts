import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspNonce } from './csp.js';

describe('CSP nonces', () => {
  it('are 128-bit hexadecimal values, none handed out twice across many refills of the pool', () => {
    const seen = new Set<string>();
    // 10,000 nonces: about 40 refills of the 256-nonce pool, and every boundary between them.
    for (let i = 0; i < 10_000; i++) {
      const nonce = cspNonce();
      expect(nonce).toMatch(/^[0-9a-f]{32}$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(10_000);
  });

  it('are not a wiped slice: no nonce is all zeros, and the hexadecimal digits are evenly used', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      const nonce = cspNonce();
      expect(nonce).not.toBe('0'.repeat(32));
      for (const digit of nonce) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    }
    // 64,000 digits: each of the 16 is expected 4,000 times; a repeated or wiped slice would skew '0'.
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(Math.abs(count - 4_000)).toBeLessThan(400);
  });

  it('go into script-src and style-src of a policy that allows nothing else inline', () => {
    const policy = contentSecurityPolicy('ab'.repeat(16));
    expect(policy).toContain(`script-src 'self' 'nonce-${'ab'.repeat(16)}'`);
    expect(policy).toContain(`style-src 'self' 'nonce-${'ab'.repeat(16)}'`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
  });
});
