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
interface Precompressed { body: Buffer; br: Buffer; gzip: Buffer }
const cached = new Map<string, Precompressed>();

const precompress = (body: Buffer): Precompressed => ({
  body, br: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }), gzip: zlib.gzipSync(body, { level: 9 }),
});

/** Sends a body made once per key, in the encoding the client asks for (the compress hook then leaves it). */
function sendPrecompressed(reply: FastifyReply, entry: Precompressed, type: string, cacheControl: string): FastifyReply {
  const accept = String(reply.request.headers['accept-encoding'] ?? '');
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : undefined;
  reply.header('content-type', type).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.body);
}

export function sendStaticPage(reply: FastifyReply, key: string, render: () => VNode<any>): FastifyReply {
  let page = cached.get(key);
  if (!page) {
    page = precompress(Buffer.from(`<!doctype html>${renderToString(render())}`));
    cached.set(key, page);
  }
  return sendPrecompressed(reply, page, 'text/html; charset=utf-8', 'no-store');
}

/**
 * Reference data that changes only when the portal's reference files are reloaded (regions,
 * provinces): serialised and compressed once per process, then served from memory. `produce` must
 * return the value its route's response schema describes; restart the nodes after `nazaha seed --force`.
 */
export async function sendReferenceJson(reply: FastifyReply, key: string, produce: () => Promise<unknown>): Promise<FastifyReply> {
  let entry = cached.get(`json:${key}`);
  if (!entry) {
    entry = precompress(Buffer.from(JSON.stringify(await produce())));
    cached.set(`json:${key}`, entry);
  }
  return sendPrecompressed(reply, entry, 'application/json; charset=utf-8', 'public, max-age=3600');
}
