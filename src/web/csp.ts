// The Content-Security-Policy of every response: a precomputed policy with one fresh nonce per response.
import crypto from 'node:crypto';

const NONCE_BYTES = 16;
// 256 nonces per refill. One randomBytes(16) call costs about 2 µs on the project's machine (OpenSSL's
// generator takes its locks and checks on every call) against about 0.1 µs for a slice of a larger
// draw, and the portal takes one per request: /healthz spent 10 % of its CPU profile in it.
const POOL_BYTES = NONCE_BYTES * 256;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A CSP nonce: 16 bytes (128 bits) from the operating system's CSPRNG, as 32 hexadecimal characters.
 * Nonces are consecutive, never overlapping slices of one random draw, so each is as unpredictable as a
 * draw of its own and none is handed out twice.
 */
export function cspNonce(): string {
  if (offset + NONCE_BYTES > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    offset = 0;
  }
  const nonce = pool.toString('hex', offset, offset + NONCE_BYTES);
  // Wipe what was handed out: the pool never holds a nonce already in use.
  pool.fill(0, offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}

/** The portal's policy, with `nonce` allowed for its own inline scripts and styles. */
export function contentSecurityPolicy(nonce: string): string {
  return (
    `default-src 'none';script-src 'self' 'nonce-${nonce}';style-src 'self' 'nonce-${nonce}';img-src 'self' data:;font-src 'self';` +
    "connect-src 'self';media-src 'self';manifest-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'"
  );
}
