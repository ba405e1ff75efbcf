// Reports per connection and hour: a few without proof of work, more with a solved one; a solved
// challenge counts once; the draft survives a refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadingZeroBits, newChallenge, solve, verifySolution } from '../../src/modules/reports/pow.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SUBMISSIONS_PER_HOUR: '1', TRUST_PROXY: 'true' });
});
afterAll(() => t.close());

/** A reporter behind its own address, at the review page of a complete report. */
async function atReview(ip: string) {
  // The same app, seen from another address (behind the trusted proxy).
  const app = { inject: (o: { headers?: Record<string, string> }) => t.app.inject({ ...o, headers: { ...o.headers, 'x-forwarded-for': ip } } as never) };
  const browser = new Browser(() => app as never);
  await browser.submit('/fr/report', '/fr/report', { channel: 'inpplc-corruption' });
  await browser.submit('/fr/report/step/facts', '/fr/report/step/facts', { what: 'Un agent exige de l\'argent.', when: '2026-10-02', amount: '' });
  await browser.submit('/fr/report/step/place', '/fr/report/step/place', { region: 'MA-06', administration: '', who: '', proof: '' });
  await browser.submit('/fr/report/identity', '/fr/report/identity', { mode: 'anonymous' });
  await browser.submit('/fr/report/notices', '/fr/report/notices', { mode: 'none' });
  const review = await browser.get('/fr/report/review');
  const challenge = review.body.match(/data-pow-challenge="([^"]+)"/)![1]!;
  return { browser, review, challenge };
}

describe('proof of work', () => {
  it('verifies a real solution only, and only in time', () => {
    const key = Buffer.alloc(32, 9);
    const challenge = newChallenge(key, 8);
    const nonce = solve(challenge);
    expect(verifySolution(key, challenge, nonce)).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySolution(Buffer.alloc(32, 1), challenge, nonce)).toBeNull();
    expect(verifySolution(key, challenge.replace(/\.8\./, '.1.'), nonce)).toBeNull();
    expect(verifySolution(key, challenge, nonce, Date.now() + 3 * 3600_000)).toBeNull();
    expect(leadingZeroBits(Buffer.from([0, 0x10]))).toBe(11);
  });
});

describe('submissions per connection', () => {
  it('refuse the second report of the hour without proof of work, keeping the draft', async () => {
    const first = await atReview('192.0.2.10');
    expect((await first.browser.submitFrom(first.review, '/fr/report/submit', { confirm: 'yes' })).statusCode).toBe(200);
    const second = await atReview('192.0.2.10');
    const refused = await second.browser.submitFrom(second.review, '/fr/report/submit', { confirm: 'yes' });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Trop de signalements envoyés depuis cette connexion');
    expect((await second.browser.get('/fr/report/review')).statusCode).toBe(200);
    // Another connection is not affected.
    const other = await atReview('192.0.2.99');
    expect((await other.browser.submitFrom(other.review, '/fr/report/submit', { confirm: 'yes' })).statusCode).toBe(200);
  });

  it('accept more with a solved proof of work, each solution once', async () => {
    const a = await atReview('192.0.2.10');
    const nonce = solve(a.challenge);
    expect((await a.browser.submitFrom(a.review, '/fr/report/submit', { confirm: 'yes', pow: nonce })).statusCode).toBe(200);
    // The same solution again counts as none: over the plain limit.
    const b = await atReview('192.0.2.10');
    expect((await b.browser.submitFrom(b.review, '/fr/report/submit', { confirm: 'yes', pow: nonce, powChallenge: a.challenge })).statusCode).toBe(429);
    const c = await atReview('192.0.2.10');
    expect((await c.browser.submitFrom(c.review, '/fr/report/submit', { confirm: 'yes', pow: solve(c.challenge) })).statusCode).toBe(200);
    // Three per hour with proof of work (1 x 3): this connection has sent three.
    const d = await atReview('192.0.2.10');
    expect((await d.browser.submitFrom(d.review, '/fr/report/submit', { confirm: 'yes', pow: solve(d.challenge) })).statusCode).toBe(429);
  });
});
