import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { h } from 'preact';
import type { DB } from '../../db/schema.js';
import { pageContext } from '../../web/context.js';
import { parseForm, showErrors } from '../../web/forms.js';
import { isLocale, locales } from '../../web/i18n.js';
import { jsonResponse, responses } from '../../web/openapi.js';
import { sendPage } from '../../web/render.js';
import { feedbackBody, feedbackForm, feedbackQuery, feedbackRecorded } from './schemas.js';
import { recordFeedback } from './service.js';
import { FeedbackPage, FeedbackThanks } from './views/FeedbackPage.js';

export async function feedbackRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/api/v1/feedback', {
    schema: {
      tags: ['feedback'], operationId: 'sendPageFeedback', summary: 'Say whether a page of the portal was useful (anonymous)',
      description: 'Stores the page, the answer and the day only: nothing that identifies the sender.',
      body: feedbackBody,
      response: responses({ 201: jsonResponse('Recorded', feedbackRecorded) }),
    },
  }, async (request, reply) => {
    const locale = request.body.page.split('/')[1];
    await recordFeedback(opts.db, isLocale(locale) ? locale : 'fr', request.body);
    return reply.status(201).send({ recorded: true as const });
  });

  for (const locale of locales) {
    const home = `/${locale}/`;
    app.get(`/${locale}/feedback`, { schema: { hide: true } }, async (request, reply) => {
      const page = feedbackQuery.parse(request.query ?? {}).page ?? home;
      return sendPage(reply, h(FeedbackPage, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), page }));
    });
    app.get(`/${locale}/feedback/thanks`, { schema: { hide: true } }, async (request, reply) => {
      const page = feedbackQuery.parse(request.query ?? {}).page ?? home;
      return sendPage(reply, h(FeedbackThanks, { ctx: pageContext(request, reply, locale), page }));
    });
    app.post(`/${locale}/feedback`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const ctx = pageContext(request, reply, locale);
      const form = parseForm(feedbackForm, request.body);
      if (!form.ok) {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const page = feedbackQuery.parse({ page: body.page }).page ?? home;
        const useful = typeof body.useful === 'string' ? body.useful : undefined;
        const errors = showErrors(ctx, form.errors, { useful: 'feedback.useful.required' });
        return sendPage(reply, h(FeedbackPage, { ctx, csrfToken: reply.generateCsrf(), page, useful, errors }), 400);
      }
      const page = form.data.page ?? home;
      await recordFeedback(opts.db, locale, { page, useful: form.data.useful === 'yes' });
      return reply.redirect(`/${locale}/feedback/thanks?page=${encodeURIComponent(page)}`, 303);
    });
  }
}
