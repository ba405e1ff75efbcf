// One place turns every failure into an answer: problem+json under /api, a translated HTML page
// elsewhere. Internal details go to the log; the user sees a safe message and a reference.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError, toAppError } from '../errors.js';
import { pageContext } from './context.js';
import { ErrorPage } from './error-page.js';
import { type Locale, negotiateLocale } from './i18n.js';
import { toProblem } from './problem.js';
import { sendPage } from './render.js';

export const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith('/api/') || request.url === '/api';

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError, fallback: Locale): FastifyReply {
  if (isApiRequest(request) || request.url === '/healthz' || request.url === '/readyz') {
    const locale = negotiateLocale(request.headers['accept-language'], fallback);
    return reply
      .status(err.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(toProblem(err, locale, request.id)));
  }
  const ctx = pageContext(request, reply, negotiateLocale(request.headers['accept-language'], fallback));
  return sendPage(reply, h(ErrorPage, { ctx, code: err.code, requestId: request.id }), err.status);
}

export function registerErrorHandling(app: FastifyInstance, fallback: Locale): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const err = toAppError(error);
    if (err.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: err.code, reason: error.code ?? error.message }, 'request refused');
    return sendError(request, reply, err, fallback);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('not_found'), fallback));
}
