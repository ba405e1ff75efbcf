// Static assets are small: they are read once, fingerprinted by content hash and pre-compressed, and
// served from memory under /assets/<name>.<hash>.<ext> with an immutable cache lifetime.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { projectPath } from '../paths.js';

interface Asset { body: Buffer; br: Buffer; gzip: Buffer; type: string; hash: string }

const types: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

function loadAssets(): { byUrl: Map<string, Asset>; urls: Map<string, string> } {
  const byUrl = new Map<string, Asset>();
  const urls = new Map<string, string>();
  for (const dir of [projectPath('public'), projectPath('dist', 'public')]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const ext = path.extname(name);
      const type = types[ext];
      if (!type) continue;
      const body = fs.readFileSync(path.join(dir, name));
      const hash = crypto.createHash('sha256').update(body).digest('base64url').slice(0, 12);
      const url = `/assets/${path.basename(name, ext)}.${hash}${ext}`;
      byUrl.set(url, {
        body, type, hash,
        br: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
        gzip: zlib.gzipSync(body, { level: 9 }),
      });
      urls.set(name, url);
    }
  }
  return { byUrl, urls };
}

const { byUrl, urls } = loadAssets();

/** The fingerprinted URL of a file from public/ (e.g. assetUrl('styles.css')). */
export function assetUrl(name: string): string {
  const url = urls.get(name);
  if (!url) throw new Error(`Unknown asset ${name}`);
  return url;
}

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/assets/:file', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    const asset = byUrl.get(request.url.split('?')[0] ?? '');
    if (!asset) return reply.callNotFound();
    const accept = String(request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : undefined;
    reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', `"${asset.hash}"`)
      .header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.body);
  });
}
