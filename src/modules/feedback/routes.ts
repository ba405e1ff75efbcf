import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { h } from 'preact';
import type { DB } from '../../db/schema.js';
import { pageContext } from '../../web/context.js';
import { parseForm, showErrors } from '../../web/forms.js';
import { locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { feedbackForm, feedbackQuery } from './schemas.js';
import { recordFeedback } from './service.js';
import { FeedbackPage, FeedbackThanks } from './views/FeedbackPage.js';

export async function feedbackRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
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
      await recordFeedback(opts.db, locale, { ...form.data, page });
      return reply.redirect(`/${locale}/feedback/thanks?page=${encodeURIComponent(page)}`, 303);
    });
  }
}
