import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { jsonResponse, responses } from '../../web/openapi.js';
import { region, regionList, regionParams } from './schemas.js';
import { getRegion, listRegions, regionSources, regionsCsv } from './service.js';

const LICENCE = 'CC BY 4.0 (HCP data) and MIT (division names); see sources';

export async function institutionRoutes(app: FastifyInstance, opts: { db: Kysely<DB> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/regions', {
    schema: {
      tags: ['institutions'], operationId: 'listRegions', summary: 'Regions of Morocco with their provinces',
      description: 'The 12 regions (ISO 3166-2:MA / HCP codes) with names in Arabic, French and English, 2024 population and their provinces and prefectures. Open data; sources and licence are part of the answer.',
      response: responses({ 200: jsonResponse('All regions, ordered by code', regionList) }),
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return { data: await listRegions(opts.db), licence: LICENCE, sources: regionSources() };
  });

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
