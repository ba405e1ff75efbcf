import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { locales } from '../../src/web/i18n.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A route that fails, to see the 500 page: registered before the app is ready.
  t.app.get('/fr/__fail', async () => {
    throw new Error('database password is hunter2');
  });
  t.app.get('/api/v1/__fail', async () => {
    throw new Error('database password is hunter2');
  });
  t.app.get('/api/v1/__refuse', async () => {
    throw new AppError('forbidden');
  });
});
afterAll(() => t.close());

const htmlAttrs = (body: string) => body.match(/<html lang="([^"]+)" dir="([^"]+)"/)?.slice(1);

describe('language entry points', () => {
  it.each(locales)('/%s/ answers 200 with lang and dir of the language', async (locale) => {
    const res = await t.app.inject(`/${locale}/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(htmlAttrs(res.body)).toEqual([locale, locale === 'ar' ? 'rtl' : 'ltr']);
    expect(res.body).toContain('<a class="skip" href="#main">');
    expect(res.body).toContain('<main id="main"');
  });

  it.each(locales)('/%s redirects to /%s/', async (locale) => {
    const res = await t.app.inject(`/${locale}`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/${locale}/`);
  });

  it.each([
    ['ar-MA,ar;q=0.9,fr;q=0.8', '/ar/'],
    ['en-US,en;q=0.9', '/en/'],
    ['tzm;q=1, fr;q=0.5', '/zgh/'],
    ['de-DE', '/fr/'],
    [undefined, '/fr/'],
  ])('/ with Accept-Language %s goes to %s', async (header, target) => {
    const res = await t.app.inject({ url: '/', headers: header ? { 'accept-language': header } : {} });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(target);
    expect(res.headers.vary).toContain('accept-language');
  });

  it('the home page links to every service, and each answers honestly', async () => {
    const res = await t.app.inject('/en/');
    const links = [...res.body.matchAll(/<h3><a href="(\/en\/[a-z-]+)">/g)].map((m) => m[1]!);
    expect(links).toEqual(['/en/orientation', '/en/report', '/en/follow-up', '/en/institutions', '/en/officials', '/en/data', '/en/ngos', '/en/consultations', '/en/guide']);
    for (const link of links) {
      const page = await t.app.inject(link);
      expect(page.statusCode, link).toBe(200);
      if (!['/en/institutions', '/en/orientation', '/en/report', '/en/follow-up'].includes(link)) expect(page.body, link).toContain('coming soon');
    }
  });

  it('the language switcher keeps the page and marks the current language', async () => {
    const res = await t.app.inject('/fr/institutions');
    expect(res.body).toContain('<a href="/ar/institutions" lang="ar" hreflang="ar">العربية</a>');
    expect(res.body).toContain('<a href="/fr/institutions" lang="fr" hreflang="fr" aria-current="true">Français</a>');
  });
});

describe('error pages', () => {
  it.each(locales)('an unknown page answers 404 in %s', async (locale) => {
    const res = await t.app.inject(`/${locale}/no-such-page`);
    expect(res.statusCode).toBe(404);
    expect(htmlAttrs(res.body)).toEqual([locale, locale === 'ar' ? 'rtl' : 'ltr']);
    expect(res.body).toContain(`href="/${locale}/"`);
  });

  it('a 404 outside any language uses the browser language', async () => {
    const res = await t.app.inject({ url: '/nothing-here', headers: { 'accept-language': 'ar' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('الصفحة غير موجودة');
  });

  it('a failure shows a 500 page with a reference, never the internal message', async () => {
    const res = await t.app.inject('/fr/__fail');
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Désolé, le service rencontre un problème');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(t.logs.join('')).toContain('hunter2');
  });

  it('an API failure is problem+json with a request id and no internal detail', async () => {
    const res = await t.app.inject({ url: '/api/v1/__fail', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({ type: 'urn:nazaha:problem:internal', status: 500, code: 'internal', title: 'Sorry, there is a problem with the service' });
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toContain('hunter2');
  });

  it('API titles follow Accept-Language', async () => {
    const ar = await t.app.inject({ url: '/api/v1/__refuse', headers: { 'accept-language': 'ar' } });
    expect(ar.statusCode).toBe(403);
    expect(ar.json()).toMatchObject({ code: 'forbidden', title: 'غير مسموح لك بالقيام بهذا' });
    const zgh = await t.app.inject({ url: '/api/v1/nope', headers: { 'accept-language': 'zgh' } });
    expect(zgh.json()).toMatchObject({ code: 'not_found', status: 404, title: 'ⵓⵔ ⵜⵜⵓⴼⴰ ⵜⴰⵙⵏⴰ' });
  });
});

describe('security headers', () => {
  it('every page has a strict nonce-based CSP and no third-party origin', async () => {
    const a = await t.app.inject('/fr/');
    const b = await t.app.inject('/fr/');
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(csp).not.toMatch(/https?:|\*|unsafe-inline|unsafe-eval/);
    expect(csp).not.toBe(String(b.headers['content-security-policy']));
    expect(a.headers['referrer-policy']).toBe('no-referrer');
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['x-frame-options']).toBe('DENY');
  });

  it('HSTS only when the response travels over HTTPS', async () => {
    expect((await t.app.inject('/fr/')).headers['strict-transport-security']).toBeUndefined();
    const proxied = await createTestApp({ TRUST_PROXY: 'true' });
    try {
      const res = await proxied.app.inject({ url: '/fr/', headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await proxied.close();
    }
  });

  it('redirects to HTTPS only when configured', async () => {
    const redirecting = await createTestApp({ HTTPS_REDIRECT: 'true' });
    try {
      const res = await redirecting.app.inject({ url: '/fr/?x=1', headers: { host: 'portal.example.org' } });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe('https://portal.example.org/fr/?x=1');
    } finally {
      await redirecting.close();
    }
  });

  it('no page references another origin', async () => {
    for (const url of ['/ar/', '/fr/feedback', '/en/no-such-page']) {
      const res = await t.app.inject(url);
      const refs = [...res.body.matchAll(/(?:src|href|action)="([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.filter((r) => !r.startsWith('/') && !r.startsWith('#') && !r.startsWith('data:')), url).toEqual([]);
    }
  });
});

describe('static assets and compression', () => {
  it('serves the stylesheet under a content hash, immutable, pre-compressed', async () => {
    const page = await t.app.inject('/fr/');
    const href = page.body.match(/<link rel="stylesheet" href="([^"]+)"/)?.[1];
    expect(href).toMatch(/^\/assets\/styles\.[A-Za-z0-9_-]{12}\.css$/);
    const css = await t.app.inject({ url: href!, headers: { 'accept-encoding': 'br, gzip' } });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await t.app.inject('/assets/styles.AAAAAAAAAAAA.css')).statusCode).toBe(404);
  });

  it('compresses pages with brotli or gzip as the browser asks', async () => {
    const br = await t.app.inject({ url: '/ar/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    const gz = await t.app.inject({ url: '/ar/', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    // First load of a citizen page stays within the 14 KB budget (HTML + CSS, compressed).
    const cssUrl = (await t.app.inject('/ar/')).body.match(/href="(\/assets\/[^"]+)"/)![1]!;
    const css = await t.app.inject({ url: cssUrl, headers: { 'accept-encoding': 'br' } });
    expect(br.rawPayload.length + css.rawPayload.length).toBeLessThan(14 * 1024);
  });
});
