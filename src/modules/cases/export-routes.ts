// The case file export as a download, from the case page and from the API. Authentication and the
// role come first (401 or a sign-in redirect, then 403, whatever the id); the service opens the case
// (404 for another institution's), and the outcome is recorded in the audit log once the response is
// over: whether every byte went out is known only then.
import { finished } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { sendDownload } from '../../web/download.js';
import { type Locale, locales, negotiateLocale } from '../../web/i18n.js';
import { problemResponse, responses } from '../../web/openapi.js';
import { exportCase } from './export.js';
import { canExportCases } from './policy.js';
import { caseParams } from './schemas.js';
import type { CasesContext } from './service.js';

const exportQuery = z.object({
  lang: z.enum(locales).optional().describe('Language of the case file (ar, fr, en, zgh); default: from Accept-Language'),
});

export async function caseExportRoutes(app: FastifyInstance, opts: { ctx: CasesContext; defaultLocale: Locale }): Promise<void> {
  const { ctx } = opts;
  const allowed = async (request: FastifyRequest) => { if (!canExportCases(request.session!)) throw new AppError('forbidden'); };

  async function send(request: FastifyRequest, reply: FastifyReply, caseId: number, locale: Locale) {
    const file = await exportCase(ctx, request.session!, caseId, locale);
    // "finish": the last byte was handed to the network; any other end (client gone, archive failed) is an abort.
    finished(reply.raw, (err) => {
      file.settle(!err).catch((e: unknown) => request.log.error({ err: e }, 'the end of a case export could not be written to the audit log'));
    });
    return sendDownload(reply, file, 'application/zip');
  }

  for (const locale of locales) {
    app.get(`/${locale}/staff/cases/:id/export`, { schema: { hide: true }, exposeHeadRoute: false, onRequest: app.authenticate, preHandler: [allowed] }, async (request, reply) =>
      send(request, reply, caseParams.parse(request.params).id, locale));
  }

  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/cases/:id/export', {
    // A HEAD request would open and decrypt the whole case, and record an export, for nothing.
    exposeHeadRoute: false,
    onRequest: [app.authenticate, allowed],
    schema: {
      tags: ['cases'], operationId: 'exportCase', security: [{ session: [] }],
      summary: 'Export a case file: a printable HTML file and the attachments, in one ZIP',
      description: 'For a prosecutor or an auditor. The ZIP holds `case-<id>.html` (self-contained, printable, in the chosen language), '
        + '`attachments/<n>-<name>` (decrypted, as stored) and `SHA256SUMS`. It is streamed; the SHA-256 of the whole ZIP and of the HTML '
        + 'are written to the audit log (`case.exported`) once the response has gone out in full, `case.export-aborted` otherwise. '
        + 'The reporter\'s identity is never included. Case handlers and institution admins of the institution (or office) holding the case.',
      params: caseParams,
      querystring: exportQuery,
      response: responses({
        200: { description: 'The ZIP archive', content: { 'application/zip': { schema: z.string().describe('ZIP archive (binary)') } } },
        401: problemResponse('Not signed in: a staff session cookie is required'),
        403: problemResponse('Signed in without the role, or without the keys, that this needs'),
        422: problemResponse('The case is too large for one archive (over 4 GiB)'),
      }),
    },
  }, async (request, reply) =>
    send(request, reply, request.params.id, request.query.lang ?? negotiateLocale(request.headers['accept-language'], opts.defaultLocale)));
}
