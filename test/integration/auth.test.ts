// Protected routes check authentication before anything else: whatever an anonymous caller sends,
// the API answers 401 and pages redirect to sign-in.
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let reached = 0;
beforeAll(async () => {
  t = await createTestApp();
  const r = t.app.withTypeProvider<ZodTypeProvider>();
  // Stand-ins for the staff routes of later modules, with strict schemas.
  r.post('/api/v1/test-protected/:id', {
    onRequest: t.app.authenticate,
    schema: { params: z.object({ id: z.coerce.number().int() }), body: z.object({ status: z.enum(['open', 'closed']) }) },
  }, async () => { reached++; return { ok: true }; });
  r.get('/fr/staff/test-protected', { onRequest: t.app.authenticate, schema: { querystring: z.object({ page: z.coerce.number().int() }) } }, async () => { reached++; return 'secret'; });
});
afterAll(() => t.close());

describe('authentication comes first', () => {
  it.each([
    ['a valid body', { 'content-type': 'application/json' }, '{"status":"open"}', '/api/v1/test-protected/1'],
    ['an invalid body', { 'content-type': 'application/json' }, '{"status":"deleted"}', '/api/v1/test-protected/1'],
    ['malformed JSON', { 'content-type': 'application/json' }, '{"status":', '/api/v1/test-protected/1'],
    ['an invalid id', { 'content-type': 'application/json' }, '{}', '/api/v1/test-protected/not-a-number'],
  ])('the API answers 401 to an anonymous caller with %s', async (_name, headers, payload, url) => {
    const res = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'accept-language': 'en' }, payload });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'unauthenticated', title: 'You need to sign in' });
    expect(res.headers['www-authenticate']).toBeDefined();
  });

  it('a page redirects an anonymous visitor to sign-in, keeping where they were going', async () => {
    const res = await t.app.inject('/fr/staff/test-protected?page=abc');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/sign-in?next=%2Ffr%2Fstaff%2Ftest-protected%3Fpage%3Dabc');
    const signIn = await t.app.inject(res.headers.location as string);
    expect(signIn.statusCode).toBe(200);
    expect(signIn.body).toContain('<h1>Connexion à l');
    expect(signIn.body).toContain('name="next" value="/fr/staff/test-protected?page=abc"');
  });

  it('no handler ran', () => {
    expect(reached).toBe(0);
  });
});
