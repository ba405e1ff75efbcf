// Case statistics for staff: a page with charts and tables, its CSV, and a JSON API. Authentication
// comes first (401, or a sign-in redirect for pages, whatever the query), then the role, then the
// query; the service scopes the figures to the user's organisation and its offices.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { jsonResponse, problemResponse, responses } from '../../web/openapi.js';
import { sendPage } from '../../web/render.js';
import { listOrganisations } from '../identity/directory.js';
import { listRegions } from '../institutions/service.js';
import { listChannels } from '../reports/channels.js';
import { canSeeCaseStatistics } from './policy.js';
import { caseStatistics, type CaseStatistics, publishableStatistics, type StatisticsContext, statisticsCsv, type StatisticsQuery } from './statistics.js';
import { statisticsQuery, statisticsResponse } from './statistics-schemas.js';
import { type StatisticsForm, statisticsLabels, type StatisticsNames, StatisticsPage } from './views/Statistics.js';

type Query = ReturnType<typeof statisticsQuery.parse>;
const toService = (q: Query): StatisticsQuery => ({ from: q.from, to: q.to, channelId: q.channel, organisationId: q.organisation });
const shown = (stats: CaseStatistics, view: Query['view']) => (view === 'published' ? publishableStatistics(stats) : stats);

export async function caseStatisticsRoutes(app: FastifyInstance, opts: { ctx: StatisticsContext }): Promise<void> {
  const { ctx } = opts;
  const { db } = ctx.database;
  const allowed = async (request: FastifyRequest) => { if (!canSeeCaseStatistics(request.session!)) throw new AppError('forbidden'); };

  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/cases/statistics', {
    // The role needs no input, so it is checked with authentication, before the query is validated.
    onRequest: [app.authenticate, allowed],
    schema: {
      tags: ['cases'], operationId: 'caseStatistics', security: [{ session: [] }],
      summary: 'Statistics of the caller\'s institution: reports, delays, deadlines met, transfers, protection, identity requests',
      description: 'Counts only; nothing is decrypted. Reports count in the period they were received in; transfers, protection items and identity requests in the period they were made in. `view=published` gives the figures as they would be published, with small counts suppressed.',
      querystring: statisticsQuery,
      response: responses({
        200: jsonResponse('The figures', statisticsResponse),
        401: problemResponse('Not signed in: a staff session cookie is required'),
        403: problemResponse('Signed in without a case role, or asking for another institution'),
      }),
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return shown(await caseStatistics(ctx, request.session!, toService(request.query)), request.query.view);
  });

  async function names(locale: Locale): Promise<StatisticsNames & { channelList: { id: number; name: string; organisationId: number }[]; institutions: { id: number; name: string }[] }> {
    const orgs = await listOrganisations(db);
    const pick = (o: { name_ar: string; name_fr: string; name_en: string; name_zgh: string | null }) => (locale === 'zgh' ? o.name_zgh ?? o.name_fr : o[`name_${locale}`]);
    const channelList = (await listChannels(db)).map((c) => ({ id: c.id, name: c.name[locale], organisationId: c.organisationId }));
    return {
      channels: new Map(channelList.map((c) => [c.id, c.name])),
      regions: new Map((await listRegions(db)).map((r) => [r.code, locale === 'zgh' ? r.name.zgh ?? r.name.fr : r.name[locale]])),
      organisations: new Map(orgs.map((o) => [o.id, pick(o)])),
      channelList,
      institutions: orgs.filter((o) => o.kind === 'institution').map((o) => ({ id: o.id, name: pick(o) })),
    };
  }

  const page = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [allowed] };

  for (const locale of locales) {
    app.get(`/${locale}/staff/cases/statistics`, page, async (request, reply) => {
      const s = request.session!;
      const frame = { ctx: pageContext(request, reply, locale), session: s, csrfToken: reply.generateCsrf() };
      const t = frame.ctx.t;
      const form = formOf(request.query);
      const n = await names(locale);
      const isPlatform = s.user.organisation_id === null;
      const props = {
        frame, form, names: n,
        channelOptions: n.channelList.filter((c) => isPlatform || c.organisationId === s.user.organisation_id),
        organisationOptions: isPlatform ? n.institutions : undefined,
      };
      reply.header('cache-control', 'no-store');
      const parsed = statisticsQuery.safeParse(withoutBlanks(request.query));
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'from'), message: t(i.path[0] === 'from' || i.path[0] === 'to' ? 'stats.error.day' : 'validation.choice') }));
        return sendPage(reply, h(StatisticsPage, { ...props, errors }), 400);
      }
      try {
        const stats = await caseStatistics(ctx, s, toService(parsed.data));
        const csvHref = `/${locale}/staff/cases/statistics.csv${queryString(request)}`;
        return sendPage(reply, h(StatisticsPage, { ...props, figures: shown(stats, parsed.data.view), csvHref }));
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'validation_failed')) throw err;
        return sendPage(reply, h(StatisticsPage, { ...props, errors: err.fields.map((f) => ({ field: f.field, message: t(f.messageKey, f.values) })) }), 400);
      }
    });

    app.get(`/${locale}/staff/cases/statistics.csv`, page, async (request, reply) => {
      const parsed = statisticsQuery.safeParse(withoutBlanks(request.query));
      if (!parsed.success) throw new AppError('validation_failed');
      const stats = shown(await caseStatistics(ctx, request.session!, toService(parsed.data)), parsed.data.view);
      const t = pageContext(request, reply, locale).t;
      const csv = statisticsCsv(stats, statisticsLabels(t, locale, await names(locale)));
      const scope = stats.organisationId ?? 'all';
      return reply.header('content-type', 'text/csv; charset=utf-8').header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="case-statistics-${scope}-${stats.from}-${stats.to}${parsed.data.view === 'published' ? '-published' : ''}.csv"`)
        .send(csv);
    });
  }
}

/** The form sends every field; an empty one means "any". */
const withoutBlanks = (query: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));

const formOf = (query: unknown): StatisticsForm => {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 40) : undefined);
  return { from: text('from'), to: text('to'), channel: text('channel'), organisation: text('organisation'), view: text('view') };
};

/** The page's own query, for the CSV link: the same figures in the other format. */
function queryString(request: FastifyRequest): string {
  const i = request.url.indexOf('?');
  return i === -1 ? '' : request.url.slice(i);
}
