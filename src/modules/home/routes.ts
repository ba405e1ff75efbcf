import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Locale } from '../../web/i18n.js';
import { locales, negotiateLocale } from '../../web/i18n.js';
import { pageContext } from '../../web/context.js';
import { sendStaticPage } from '../../web/render.js';
import { services } from './services.js';
import { ComingSoon } from './views/ComingSoon.js';
import { Home } from './views/Home.js';

/** Home page, language entry points, and the pages of services not yet open. */
export async function homeRoutes(app: FastifyInstance, opts: { defaultLocale: Locale }): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const locale = negotiateLocale(request.headers['accept-language'], opts.defaultLocale);
    return reply.header('vary', 'accept-language').header('cache-control', 'no-store').redirect(`/${locale}/`, 302);
  });
  for (const locale of locales) {
    app.get(`/${locale}`, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`/${locale}/`, 301));
    app.get(`/${locale}/`, { schema: { hide: true } }, async (request, reply) =>
      sendStaticPage(reply, `home:${locale}`, () => h(Home, { ctx: pageContext(request, reply, locale) })),
    );
    for (const s of services.filter((x) => !x.open)) {
      app.get(`/${locale}/${s.path}`, { schema: { hide: true } }, async (request, reply) =>
        sendStaticPage(reply, `soon:${locale}:${s.key}`, () => h(ComingSoon, { ctx: pageContext(request, reply, locale), serviceKey: s.key })),
      );
    }
  }
}
