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
import { countOutcome, getVersion, publishedRules, statistics } from './service.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { jsonResponse, responses } from '../../web/openapi.js';
import { QuestionPage, ResultPage } from './views/Orientation.js';

// The whole journey lives in the URL: the rules version and the answers so far ("a.b.MA-06").
const journeyQuery = z.object({
  v: z.coerce.number().int().positive().optional().catch(undefined),
  path: z.string().max(400).regex(/^[A-Za-z0-9.-]*$/).optional().catch(undefined),
  answer: z.string().max(60).regex(/^[A-Za-z0-9-]*$/).optional().catch(undefined),
  // Set by the Continue button: a submission without a chosen answer is a mistake to explain.
  go: z.string().max(1).optional().catch(undefined),
});

const href = (locale: Locale, v: number, path: string[]) => `/${locale}/orientation?v=${v}${path.length ? `&path=${path.join('.')}` : ''}`;

const statisticsSchema = z.object({
  data: z.array(z.object({
    version: z.number().int().describe('Rules version'),
    total: z.number().int().describe('Journeys that reached an outcome'),
    notCompetent: z.number().int().describe('Journeys that ended with no competent institution'),
    outcomes: z.array(z.object({
      outcome: z.string().describe('Outcome node of the rules'),
      institutions: z.array(z.string()).describe('Institutions it sends to (empty: none of these)'),
      count: z.number().int(),
    })),
  })),
  note: z.string().describe('What is counted'),
}).describe('Anonymous counts of orientation outcomes per rules version');

export async function orientationRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
  const { db } = opts;
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/orientation/statistics', {
    schema: {
      tags: ['orientation'], operationId: 'orientationStatistics', summary: 'Where the orientation guide sent people',
      description: 'For each version of the rules: how many journeys ended at each outcome, and how many found no competent institution (the misdirection figure). Only the version, the outcome and the day are ever recorded.',
      response: responses({ 200: jsonResponse('Counts per rules version', statisticsSchema) }),
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { data: await statistics(db), note: 'Counts of journeys that reached an outcome; no answers, addresses or other personal data are recorded.' };
  });

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

      if ((q.answer !== undefined || q.go !== undefined) && here.kind === 'question') {
        const chosen = q.answer ?? '';
        const next = walk(version.graph, [...path, chosen], regionCodes);
        if (chosen === '' || next.kind === 'invalid') {
          const progress = { n: here.steps.length + 1, max: here.steps.length + longestPath(version.graph, here.node) };
          return sendPage(reply, h(QuestionPage, { ctx, version: version.id, path, question: here.question, progress, regions, backHref: back, error: true }), 400);
        }
        // Counted once, when the last answer is given: the rules version, the outcome and the day.
        if (next.kind === 'outcome') await countOutcome(db, version.id, next.node);
        return reply.redirect(href(locale, version.id, [...path, chosen]), 303);
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
