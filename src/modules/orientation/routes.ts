import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { h } from 'preact';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { competentOffice, listInstitutions } from '../institutions/directory.js';
import { listRegions } from '../institutions/service.js';
import { longestPath, walk } from './graph.js';
import { countOutcome, getVersion, publishedRules } from './service.js';
import { QuestionPage, ResultPage } from './views/Orientation.js';

// The whole journey lives in the URL: the rules version and the answers so far ("a.b.MA-06").
const journeyQuery = z.object({
  v: z.coerce.number().int().positive().optional().catch(undefined),
  path: z.string().max(400).regex(/^[A-Za-z0-9.-]*$/).optional().catch(undefined),
  answer: z.string().max(60).regex(/^[A-Za-z0-9-]*$/).optional().catch(undefined),
});

const href = (locale: Locale, v: number, path: string[]) => `/${locale}/orientation?v=${v}${path.length ? `&path=${path.join('.')}` : ''}`;

export async function orientationRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
  const { db } = opts;
  for (const locale of locales) {
    app.get(`/${locale}/orientation`, { schema: { hide: true } }, async (request, reply) => {
      const q = journeyQuery.parse(request.query ?? {});
      const version = q.v ? await getVersion(db, q.v) : await publishedRules(db);
      // Drafts are never walked by citizens; an unknown or draft version starts over on the current rules.
      if (!version || version.status === 'draft') {
        if (q.v) return reply.redirect(`/${locale}/orientation`, 303);
        throw new AppError('unavailable');
      }
      const regions = (await listRegions(db)).map((r) => ({ code: r.code, name: locale === 'zgh' ? r.name.zgh ?? r.name.fr : r.name[locale] }));
      const regionCodes = regions.map((r) => r.code);
      const path = q.path ? q.path.split('.').filter(Boolean) : [];
      const here = walk(version.graph, path, regionCodes);
      if (here.kind === 'invalid') return reply.redirect(`/${locale}/orientation`, 303);
      const ctx = pageContext(request, reply, locale);
      const back = path.length ? href(locale, version.id, path.slice(0, -1)) : `/${locale}/`;

      if (q.answer !== undefined && here.kind === 'question') {
        const next = walk(version.graph, [...path, q.answer], regionCodes);
        if (q.answer === '' || next.kind === 'invalid') {
          const progress = { n: here.steps.length + 1, max: here.steps.length + longestPath(version.graph, here.node) };
          return sendPage(reply, h(QuestionPage, { ctx, version: version.id, path, question: here.question, progress, regions, backHref: back, error: true }), 400);
        }
        // Counted once, when the last answer is given: the rules version, the outcome and the day.
        if (next.kind === 'outcome') await countOutcome(db, version.id, next.node);
        return reply.redirect(href(locale, version.id, [...path, q.answer]), 303);
      }

      if (here.kind === 'question') {
        const progress = { n: here.steps.length + 1, max: here.steps.length + longestPath(version.graph, here.node) };
        return sendPage(reply, h(QuestionPage, { ctx, version: version.id, path, question: here.question, progress, regions, backHref: back }));
      }
      const all = await listInstitutions(db);
      const institutions = here.outcome.institutions.map((slug) => all.find((i) => i.slug === slug)).filter((i) => i !== undefined);
      const office = here.region && institutions[0] ? await competentOffice(db, institutions[0].slug, { regionCode: here.region }) : undefined;
      const reportHref = (slug: string) => `/${locale}/report?institution=${slug}&orientation=${version.id}-${path.join('.')}`;
      return sendPage(reply, h(ResultPage, { ctx, outcome: here.outcome, steps: here.steps, institutions, office, reportHref, backHref: back }));
    });
  }
}
