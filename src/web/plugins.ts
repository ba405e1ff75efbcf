// Cross-cutting HTTP behaviour, registered once for the whole app: security headers, cookies,
// forms, CSRF, compression, rate limits.
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import { contentSecurityPolicy, cspNonce } from './csp.js';
import { registerRateLimit } from './rate-limit.js';

export const MAX_URL_LENGTH = 2048;

export async function registerPlugins(app: FastifyInstance, opts: { config: Config; db: Kysely<DB>; cookieSecret: Buffer }): Promise<void> {
  const { config } = opts;

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) throw new AppError('uri_too_long');
    // The API takes JSON only: a form post to it (possibly cross-site) is refused before parsing.
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (request.url.startsWith('/api/') && hasBody) {
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') throw new AppError('unsupported_media_type');
    }
    if (config.httpsRedirect && request.protocol === 'http') {
      return reply.redirect(`https://${request.host}${request.url}`, 301);
    }
  });

  await app.register(helmet, {
    // The CSP is set below: one nonce per response into a precomputed policy, instead of helmet
    // rebuilding every directive on every request.
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where the response really travels over HTTPS (see below).
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (_request, reply) => {
    const nonce = cspNonce();
    reply.cspNonce = { script: nonce, style: nonce };
    reply.header('content-security-policy', contentSecurityPolicy(nonce));
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  await app.register(cookie, { secret: opts.cookieSecret.toString('hex') });
  await app.register(formbody);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    // The __Host- prefix is only allowed on cookies set over HTTPS.
    cookieKey: secureCookies ? '__Host-csrf' : 'csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, signed: true, secure: secureCookies },
    // File forms (multipart) carry the token in their action URL: the body is a stream read only after
    // the check. Query strings are never logged.
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf ?? (request.query as Record<string, string> | undefined)?._csrf,
  });
  // Files are streamed to the attachment pipeline, which enforces the per-file limit itself (one byte
  // of headroom here so that its clear refusal comes first).
  await app.register(multipart, { limits: { fileSize: config.attachments.maxBytes + 1, files: 10, fields: 10, fieldSize: 1000, parts: 20 } });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await registerRateLimit(app, { db: opts.db, max: config.rateLimit.max, windowSeconds: config.rateLimit.windowSeconds });
}
