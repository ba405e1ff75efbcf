// Malformed and hostile requests get a clear 4xx, change nothing, and the portal keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT: '4096' });
});
afterAll(() => t.close());

const feedbackRows = () => t.database.db.selectFrom('page_feedback').selectAll().execute();

async function formSession(locale = 'fr') {
  const res = await t.app.inject(`/${locale}/feedback?page=/${locale}/guide`);
  const token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  expect(token).toBeTruthy();
  return { cookie: cookieHeader(res), token: token! };
}

describe('reference data', () => {
  it('serves the regions as the same JSON, compressed or not, as the client asks', async () => {
    const plain = await t.app.inject({ url: '/api/v1/regions' });
    const br = await t.app.inject({ url: '/api/v1/regions', headers: { 'accept-encoding': 'br, gzip' } });
    const gzip = await t.app.inject({ url: '/api/v1/regions', headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(plain.json().data).toHaveLength(12);
    expect(plain.json().data[0]).toMatchObject({ code: 'MA-01' });
  });
});

describe('API requests', () => {
  it('bad JSON gets 400 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: { 'content-type': 'application/json' }, payload: '{"page": "/fr/", "useful": tru' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'malformed_request', status: 400 });
  });

  it('a body that fails validation names each field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: { 'accept-language': 'fr' }, payload: { page: 'https://evil.example/', useful: 'yes' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['page', 'useful']);
    expect(body.errors[0].message).toMatch(/valide|options/);
  });

  it('an oversized body gets 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ page: '/fr/', useful: true, pad: 'x'.repeat(10_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('a non-JSON body to the API gets 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'page=%2Ffr%2F&useful=true' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('an unknown route gets 404 problem+json', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/regions' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });

  it('an over-long URI gets 414', async () => {
    const res = await t.app.inject(`/api/v1/regions/MA-01?q=${'a'.repeat(3000)}`);
    expect(res.statusCode).toBe(414);
    expect(res.json().code).toBe('uri_too_long');
    const page = await t.app.inject(`/fr/?q=${'a'.repeat(3000)}`);
    expect(page.statusCode).toBe(414);
    expect(page.body).toContain("L'adresse web est trop longue");
  });

  it('a valid answer is stored once, and nothing was stored by the refused ones', async () => {
    const before = (await feedbackRows()).length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', payload: { page: '/ar/guide', useful: true } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ recorded: true });
    const rows = await feedbackRows();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ path: '/ar/guide', locale: 'ar' });
    expect(rows.at(-1)!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('HTML forms', () => {
  it('a form post without a CSRF token is refused with a clear page, and stores nothing', async () => {
    const before = (await feedbackRows()).length;
    const res = await t.app.inject({ method: 'POST', url: '/fr/feedback', payload: { useful: 'yes', page: '/fr/' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Ce formulaire a expiré');
    const { cookie } = await formSession();
    const forged = await t.app.inject({ method: 'POST', url: '/fr/feedback', headers: { cookie }, payload: { useful: 'yes', page: '/fr/', _csrf: 'forged' } });
    expect(forged.statusCode).toBe(403);
    expect((await feedbackRows()).length).toBe(before);
  });

  it('a missing answer re-renders the form with an error summary linking to the field', async () => {
    const { cookie, token } = await formSession('ar');
    const res = await t.app.inject({ method: 'POST', url: '/ar/feedback', headers: { cookie }, payload: { page: '/ar/guide', _csrf: token } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>خطأ: /);
    expect(res.body).toContain('<div class="error-summary" role="alert"');
    expect(res.body).toContain('<a href="#useful">اختر نعم أو لا</a>');
    expect(res.body).toContain('aria-describedby="useful-error"');
    expect(res.body).toContain('id="useful"');
    expect(res.body).toContain('name="page" value="/ar/guide"');
  });

  it('a complete answer is stored and leads to the thank-you page', async () => {
    const { cookie, token } = await formSession();
    const res = await t.app.inject({ method: 'POST', url: '/fr/feedback', headers: { cookie }, payload: { useful: 'no', page: '/fr/guide', _csrf: token } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/feedback/thanks?page=%2Ffr%2Fguide');
    expect((await feedbackRows()).at(-1)).toMatchObject({ path: '/fr/guide', useful: 0, locale: 'fr' });
  });

  it('never redirects to another site through the page field', async () => {
    const { cookie, token } = await formSession();
    for (const page of ['//evil.example/', 'https://evil.example/', '/fr/\\evil', 'javascript:alert(1)']) {
      const res = await t.app.inject({ method: 'POST', url: '/fr/feedback', headers: { cookie }, payload: { useful: 'yes', page, _csrf: token } });
      expect(res.statusCode, page).toBe(303);
      expect(res.headers.location, page).toBe('/fr/feedback/thanks?page=%2Ffr%2F');
    }
    const shown = await t.app.inject('/fr/feedback?page=//evil.example/');
    expect(shown.body).not.toContain('evil.example');
  });

  it('bad JSON or an oversized body on a page route gets a clear page, not a crash', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/fr/feedback', headers: { 'content-type': 'application/json' }, payload: '{oops' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("La requête n'a pas pu être comprise");
    const big = await t.app.inject({ method: 'POST', url: '/fr/feedback', payload: { useful: 'yes', page: '/fr/', pad: 'x'.repeat(10_000) } });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('trop volumineux');
    expect((await t.app.inject('/fr/')).statusCode).toBe(200);
  });
});
