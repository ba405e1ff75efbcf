import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { jsonResponse, responses } from '../../web/openapi.js';
import { h } from 'preact';
import { pageContext } from '../../web/context.js';
import { locales } from '../../web/i18n.js';
import { sendPage, sendReferenceJson } from '../../web/render.js';
import { competentOffice, countOffices, getInstitution, type Institution, institutionsCsv, listInstitutions } from './directory.js';
import { institution, institutionList, institutionParams, region, regionList, regionParams } from './schemas.js';
import { DirectoryPage, InstitutionPage } from './views/Directory.js';

const regionQuery = z.object({ region: z.string().regex(/^MA-\d{2}$/).optional().catch(undefined) });

/** The public form of an institution: no internal ids. */
const apiInstitution = ({ organisationId: _internal, ...rest }: Institution) => rest;
import { getRegion, listRegions, regionSources, regionsCsv } from './service.js';

const LICENCE = 'CC BY 4.0 (HCP data) and MIT (division names); see sources';

const DIRECTORY_LICENCE = 'Licence Ouverte 2.0 / Etalab (facts compiled from the institutions\' own publications; each fact names its source)';

export async function institutionRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  for (const locale of locales) {
    app.get(`/${locale}/institutions`, { schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, h(DirectoryPage, { ctx: pageContext(request, reply, locale), institutions: await listInstitutions(opts.db) })),
    );
    app.get(`/${locale}/institutions/:slug`, { schema: { hide: true } }, async (request, reply) => {
      const { slug } = institutionParams.parse(request.params);
      const institution = await getInstitution(opts.db, slug);
      if (!institution) throw new AppError('not_found');
      const query = regionQuery.parse(request.query ?? {});
      const offices = await countOffices(opts.db, slug);
      const regions = (await listRegions(opts.db)).map((x) => ({ code: x.code, name: locale === 'zgh' ? x.name.zgh ?? x.name.fr : x.name[locale] }));
      const office = query.region && offices > 0 ? (await competentOffice(opts.db, slug, { regionCode: query.region })) ?? null : undefined;
      return sendPage(reply, h(InstitutionPage, { ctx: pageContext(request, reply, locale), institution, offices, regions, region: query.region, office }));
    });
  }

  r.get('/api/v1/institutions', {
    schema: {
      tags: ['institutions'], operationId: 'listInstitutions', summary: 'The institutions directory',
      description: 'Every institution a citizen may need: mandate, what it handles and does not, preconditions, channels, deadlines, in four languages, each fact with its source.',
      response: responses({ 200: jsonResponse('All institutions, in the directory order', institutionList) }),
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=600');
    return { data: (await listInstitutions(opts.db)).map(apiInstitution), licence: DIRECTORY_LICENCE };
  });

  r.get('/api/v1/institutions.csv', {
    schema: {
      tags: ['institutions'], operationId: 'downloadInstitutionsCsv', summary: 'The institutions directory as CSV',
      description: 'One row per institution and language (ar, fr, en, zgh); lists joined with " | ". UTF-8, comma-separated, CRLF line ends, a header row.',
      response: responses({ 200: { description: 'UTF-8 CSV with a header row', content: { 'text/csv': { schema: z.string() } } } }),
    },
  }, async (_request, reply) =>
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="institutions.csv"')
      .header('cache-control', 'public, max-age=600').send(institutionsCsv(await listInstitutions(opts.db))),
  );

  r.get('/api/v1/institutions/:slug', {
    schema: {
      tags: ['institutions'], operationId: 'getInstitution', summary: 'One institution of the directory',
      description: 'An institution by its identifier; 404 when there is none.',
      params: institutionParams,
      response: responses({ 200: jsonResponse('The institution', institution) }),
    },
  }, async (request, reply) => {
    const found = await getInstitution(opts.db, request.params.slug);
    if (!found) throw new AppError('not_found');
    reply.header('cache-control', 'public, max-age=600');
    return apiInstitution(found);
  });

  r.get('/api/v1/regions', {
    schema: {
      tags: ['institutions'], operationId: 'listRegions', summary: 'Regions of Morocco with their provinces',
      description: 'The 12 regions (ISO 3166-2:MA / HCP codes) with names in Arabic, French and English, 2024 population and their provinces and prefectures. Open data; sources and licence are part of the answer.',
      response: responses({ 200: jsonResponse('All regions, ordered by code', regionList) }),
    },
  }, async (_request, reply) =>
    // Checked against the documented schema once, when first made.
    sendReferenceJson(reply, 'regions', async () => regionList.parse({ data: await listRegions(opts.db), licence: LICENCE, sources: regionSources() })));

  r.get('/api/v1/regions.csv', {
    schema: {
      tags: ['institutions'], operationId: 'downloadRegionsCsv', summary: 'Regions and provinces as CSV (one row per province)',
      description: 'The same data as listRegions, flattened for spreadsheets: UTF-8, comma-separated, CRLF line ends, a header row.',
      response: responses({ 200: { description: 'UTF-8 CSV with a header row', content: { 'text/csv': { schema: z.string() } } } }),
    },
  }, async (_request, reply) => {
    const csv = regionsCsv(await listRegions(opts.db));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="regions.csv"')
      .header('cache-control', 'public, max-age=3600')
      .send(csv);
  });

  r.get('/api/v1/regions/:code', {
    schema: {
      tags: ['institutions'], operationId: 'getRegion', summary: 'One region with its provinces',
      description: 'A region by its ISO 3166-2:MA code; 404 when no region has that code.',
      params: regionParams,
      response: responses({ 200: jsonResponse('The region', region) }),
    },
  }, async (request, reply) => {
    const found = await getRegion(opts.db, request.params.code);
    if (!found) throw new AppError('not_found');
    reply.header('cache-control', 'public, max-age=3600');
    return found;
  });
}
