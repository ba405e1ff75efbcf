import zlib from 'node:zlib';
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Sends a server-rendered page; escaping is done by the renderer. */
export function sendPage(reply: FastifyReply, page: VNode<any>, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}

// Pages that are the same for every visitor (the home page, "coming soon" pages) are rendered and
// compressed once per language and served from memory: no rendering or compression per request.
const cached = new Map<string, { html: Buffer; br: Buffer; gzip: Buffer }>();

export function sendStaticPage(reply: FastifyReply, key: string, render: () => VNode<any>): FastifyReply {
  let page = cached.get(key);
  if (!page) {
    const html = Buffer.from(`<!doctype html>${renderToString(render())}`);
    page = { html, br: zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }), gzip: zlib.gzipSync(html, { level: 9 }) };
    cached.set(key, page);
  }
  const accept = String(reply.request.headers['accept-encoding'] ?? '');
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : undefined;
  reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'accept-encoding');
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.html);
}
