// Back office for the orientation rules: versions, drafts, publication.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import type { StaffFrame } from '../identity/views/Staff.js';
import { canEditRules } from './policy.js';
import { createDraft, getVersion, listVersions, publishDraft, saveDraft, statistics } from './service.js';
import { RulesEditor, RulesPage } from './views/Rules.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const fromBody = z.object({ from: z.coerce.number().int().positive() });
const draftBody = z.object({ graph: z.string().max(500_000), note: z.string().max(500).default('') });

export async function orientationAdminRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const { database } = opts;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  const editor = async (request: FastifyRequest) => { if (!canEditRules(request.session!)) throw new AppError('forbidden'); };
  const get = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [editor] };
  const post = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, editor] };
  const actor = (request: FastifyRequest) => `user:${request.session!.user.id}`;

  for (const locale of locales) {
    const base = `/${locale}/staff/orientation`;
    app.get(base, get, async (request, reply) =>
      sendPage(reply, h(RulesPage, { frame: frame(request, reply, locale), versions: await listVersions(database.db), stats: await statistics(database.db) })),
    );

    app.post(`${base}/drafts`, post, async (request, reply) => {
      const { from } = fromBody.parse(request.body ?? {});
      const id = await createDraft(database, from, actor(request));
      return reply.redirect(`${base}/${id}`, 303);
    });

    app.get(`${base}/:id`, get, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const v = await getVersion(database.db, id);
      if (!v) throw new AppError('not_found');
      const q = (request.query ?? {}) as Record<string, string>;
      return sendPage(reply, h(RulesEditor, { frame: frame(request, reply, locale), version: v, graph: JSON.stringify(v.graph, null, 2), note: v.note, saved: 'saved' in q, published: 'published' in q }));
    });

    app.post(`${base}/:id`, post, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const v = await getVersion(database.db, id);
      if (!v) throw new AppError('not_found');
      const body = draftBody.safeParse(request.body ?? {});
      if (!body.success) throw new AppError('validation_failed');
      const problem = await saveDraft(database, id, body.data);
      if (!problem) return reply.redirect(`${base}/${id}?saved`, 303);
      const f = frame(request, reply, locale);
      const detail = problem.code === 'invalid_json' ? problem.message : problem.paths.join(', ');
      return sendPage(reply, h(RulesEditor, { frame: f, version: v, graph: body.data.graph, note: body.data.note, errors: [{ field: 'graph', message: f.ctx.t(`rules.error.${problem.code}`, { detail }) }] }), 400);
    });

    app.post(`${base}/:id/publish`, post, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const problems = await publishDraft(database, id, actor(request));
      if (problems.length === 0) return reply.redirect(`${base}/${id}?published`, 303);
      const v = (await getVersion(database.db, id))!;
      const f = frame(request, reply, locale);
      const errors = problems.map((p) => ({ field: 'graph', message: f.ctx.t(`rules.problem.${p.code}`, { node: p.node, target: 'target' in p ? p.target : '' }) }));
      return sendPage(reply, h(RulesEditor, { frame: f, version: v, graph: JSON.stringify(v.graph, null, 2), note: v.note, errors }), 400);
    });
  }
}
