// Sends a user's file as a download that the browser never renders from the portal's origin: generic
// type (or an archive type, which browsers never render either), attachment disposition with the name
// in RFC 6266 / 5987 form, and a CSP that sandboxes it.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function sendDownload(reply: FastifyReply, file: { name: string; stream: Readable }, contentType: 'application/octet-stream' | 'application/zip' = 'application/octet-stream'): FastifyReply {
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(file.stream);
}
