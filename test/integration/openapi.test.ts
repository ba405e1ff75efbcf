import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintOpenApi } from '../../scripts/openapi-lint.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject('/api/openapi.json')).json();
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lint-clean under spectral:oas (no errors)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const errors = (await lintOpenApi(doc)).filter((r) => r.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('documents the public API under /api/v1 and the probes, and hides pages', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/regions', '/api/v1/regions.csv', '/api/v1/regions/{code}', '/api/v1/feedback', '/healthz', '/readyz', '/api/v1/institutions', '/api/v1/institutions.csv', '/api/v1/institutions/{slug}', '/api/v1/orientation/statistics']));
    expect(paths.filter((p) => !p.startsWith('/api/v1/') && !['/healthz', '/readyz'].includes(p))).toEqual([]);
  });

  it('every operation declares every error status it can return, as problem+json', () => {
    for (const { path, method, op } of operations()) {
      for (const status of ['400', '404', '413', '414', '415', '429', '500']) {
        const content = op.responses[status]?.content;
        expect(content?.['application/problem+json']?.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect(op.operationId, `${method} ${path}`).toBeTruthy();
      expect(op.description, `${method} ${path}`).toBeTruthy();
    }
  });

  it('every success response declares its real content type', async () => {
    const declared = (path: string, method: string) => Object.keys(doc.paths[path][method].responses['200'].content);
    expect(declared('/api/v1/regions.csv', 'get')).toEqual(['text/csv']);
    expect(declared('/api/v1/regions', 'get')).toEqual(['application/json']);
    for (const path of ['/api/v1/regions', '/api/v1/regions.csv', '/api/v1/regions/MA-01', '/healthz', '/readyz']) {
      const res = await t.app.inject(path);
      expect(res.statusCode, path).toBe(200);
      const type = String(res.headers['content-type']).split(';')[0];
      const specPath = path === '/api/v1/regions/MA-01' ? '/api/v1/regions/{code}' : path;
      expect(declared(specPath, 'get'), path).toContain(type);
    }
  });

  it('a problem answer matches the declared Problem schema', async () => {
    const schema = doc.components.schemas.Problem;
    const res = await t.app.inject('/api/v1/regions/MA-99');
    expect(res.statusCode).toBe(404);
    const body = res.json();
    for (const key of schema.required) expect(body).toHaveProperty(key);
    for (const key of Object.keys(body)) expect(Object.keys(schema.properties)).toContain(key);
    expect(schema.properties.code.enum).toContain(body.code);
  });

  it('has self-hosted docs at /api/docs that load nothing from elsewhere', async () => {
    const res = await t.app.inject('/api/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const refs = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => /^(https?:)?\/\//.test(r))).toEqual([]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/https?:/);
  });
});
