import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import { pendingMigrations } from '../../db/migrate.js';
import { jsonResponse, responses } from '../../web/openapi.js';

const health = z.object({ status: z.literal('ok').describe('Always "ok" when the process answers') }).describe('Liveness');
const ready = z
  .object({
    status: z.enum(['ready', 'not_ready']).describe('"ready" when the database answers and every migration is applied'),
    database: z.enum(['ok', 'unreachable']).describe('Whether a query to the database succeeded'),
    pendingMigrations: z.array(z.string()).describe('Migrations known to this build but not applied'),
  })
  .describe('Readiness');

export async function systemRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', {
    config: { rateLimit: false },
    schema: { tags: ['operations'], operationId: 'health', summary: 'The process is alive',
      description: 'Liveness probe: answers as long as the process serves requests; checks nothing else.', response: responses({ 200: jsonResponse('Alive', health) }) },
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' as const };
  });

  r.get('/readyz', {
    config: { rateLimit: false },
    schema: {
      tags: ['operations'], operationId: 'ready', summary: 'The database is reachable and migrated',
      description: 'Readiness probe for load balancers: 200 when the database answers and every migration of this build is applied, 503 otherwise.',
      response: responses({ 200: jsonResponse('Ready to serve', ready), 503: jsonResponse('Not ready: see the fields', ready) }),
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(opts.database.db);
      const pending = await pendingMigrations(opts.database.db);
      if (pending.length) return reply.status(503).send({ status: 'not_ready' as const, database: 'ok' as const, pendingMigrations: pending });
      return { status: 'ready' as const, database: 'ok' as const, pendingMigrations: [] };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply.status(503).send({ status: 'not_ready' as const, database: 'unreachable' as const, pendingMigrations: [] });
    }
  });
}
