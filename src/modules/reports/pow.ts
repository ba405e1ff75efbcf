// Proof of work, offered to browsers with JavaScript: before sending a report, the browser finds a
// nonce such that SHA-256(challenge ":" nonce) starts with `bits` zero bits (about 2^bits hashes,
// a fraction of a second on a phone at the default 16). It is never required — reporting works
// without JavaScript — but submissions that carry one may come more often from one connection
// (see SUBMISSION_LIMITS), which makes scripted floods cost CPU time. Challenges are stateless
// (HMAC-signed, with an expiry) and each solved one counts once.
import crypto from 'node:crypto';

const TTL_SECONDS = 2 * 3600;

const mac = (key: Buffer, body: string) => crypto.createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);

export function newChallenge(key: Buffer, bits: number, now = Date.now()): string {
  const body = `${Math.floor(now / 1000) + TTL_SECONDS}.${bits}.${crypto.randomBytes(12).toString('base64url')}`;
  return `${body}.${mac(key, body)}`;
}

export function leadingZeroBits(hash: Buffer): number {
  let n = 0;
  for (const byte of hash) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

/** The challenge's hash (to count its use once) when the solution is right and in time; else null. */
export function verifySolution(key: Buffer, challenge: string, nonce: string, now = Date.now()): string | null {
  const m = /^(\d{1,12})\.(\d{1,2})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/.exec(challenge);
  if (!m || !/^\d{1,12}$/.test(nonce)) return null;
  const body = `${m[1]}.${m[2]}.${m[3]}`;
  const expected = Buffer.from(mac(key, body));
  if (!crypto.timingSafeEqual(expected, Buffer.from(m[4]!)) || Number(m[1]) * 1000 < now) return null;
  const hash = crypto.createHash('sha256').update(`${challenge}:${nonce}`).digest();
  return leadingZeroBits(hash) >= Number(m[2]) ? crypto.createHash('sha256').update(challenge).digest('hex') : null;
}

/** Solves a challenge (tests and tools; browsers run public/pow.js). */
export function solve(challenge: string): string {
  const bits = Number(challenge.split('.')[1]);
  for (let nonce = 0; ; nonce++) {
    if (leadingZeroBits(crypto.createHash('sha256').update(`${challenge}:${nonce}`).digest()) >= bits) return String(nonce);
  }
}
