// Back office for administrators: users, access to the organisation key, audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { parseForm } from '../../web/forms.js';
import { type Locale, locales, translate } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import * as admin from './admin.js';
import { adminScope, canManageUsers, canViewAudit, inScope, isPlatformAdmin } from './policy.js';
import { createOrganisation } from './service.js';
import { NewOrganisationPage, OrganisationCreatedPage, OrganisationsPage } from './views/Organisations.js';
import { findOrganisationById, listOrganisations } from './directory.js';
import { isRole, type Role, rolesFor } from './roles.js';
import { AuditPage, DeactivatePage, InvitePage, KeysPage, UsersPage } from './views/Admin.js';
import type { StaffFrame } from './views/Staff.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const inviteForm = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().email().max(254),
  organisation: z.string().max(20),
  role: z.string().max(40),
});
const organisationForm = z.object({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  kind: z.enum(['institution', 'office', 'ngo']),
  parent: z.string().max(20).optional(),
  nameAr: z.string().trim().min(1).max(300),
  nameFr: z.string().trim().min(1).max(300),
  nameEn: z.string().trim().min(1).max(300),
  nameZgh: z.string().trim().max(300).optional(),
});
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1), sent: z.string().optional().catch(undefined) });
const auditQuery = z.object({
  action: z.string().max(80).optional().catch(undefined), actor: z.string().max(80).optional().catch(undefined),
  target: z.string().max(80).optional().catch(undefined), before: z.coerce.number().int().positive().optional().catch(undefined),
});

export async function adminRoutes(app: FastifyInstance, opts: { ctx: admin.AdminContext }): Promise<void> {
  const { ctx } = opts;
  const { db } = ctx.database;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  // Authorization after authentication: a signed-in user without the role gets 403.
  const requireAdmin = async (request: FastifyRequest) => { if (!canManageUsers(request.session!)) throw new AppError('forbidden'); };
  const requireAuditor = async (request: FastifyRequest) => { if (!canViewAudit(request.session!)) throw new AppError('forbidden'); };
  const guarded = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [requireAdmin] };
  const guardedPost = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, requireAdmin] };

  /** Organisations the admin may invite into, with labels in the page's language. */
  async function invitable(request: FastifyRequest, locale: Locale) {
    const s = request.session!;
    const all = await listOrganisations(db);
    const scope = adminScope(s, all.filter((o) => o.parent_id === s.user.organisation_id).map((o) => o.id));
    const label = (o: (typeof all)[number]) => `${locale === 'zgh' ? o.name_zgh ?? o.name_fr : o[`name_${locale}`]} (${o.slug})`;
    return [
      ...(scope.all ? [{ id: 0, label: translate(locale, 'users.invite.platform'), kind: null }] : []),
      ...all.filter((o) => inScope(scope, o.id)).map((o) => ({ id: o.id, label: label(o), kind: o.kind })),
    ];
  }

  for (const locale of locales) {
    const base = `/${locale}/staff`;

    app.get(`${base}/users`, guarded, async (request, reply) => {
      const q = pageQuery.parse(request.query ?? {});
      const { rows, hasMore } = await admin.listManagedUsers(ctx, request.session!, q.page);
      const orgKinds = new Map((await listOrganisations(db)).map((o) => [o.slug, o.kind]));
      return sendPage(reply, h(UsersPage, {
        frame: frame(request, reply, locale), rows, page: q.page, hasMore, sent: q.sent !== undefined,
        roleChoices: (row) => rolesFor(row.organisation ? orgKinds.get(row.organisation) ?? null : null),
      }));
    });

    app.get(`${base}/users/invite`, guarded, async (request, reply) => {
      const orgs = await invitable(request, locale);
      return sendPage(reply, h(InvitePage, { frame: frame(request, reply, locale), organisations: orgs, roles: [...new Set(orgs.flatMap((o) => rolesFor(o.kind)))] }));
    });

    app.post(`${base}/users/invite`, guardedPost, async (request, reply) => {
      const orgs = await invitable(request, locale);
      const roles = [...new Set(orgs.flatMap((o) => rolesFor(o.kind)))];
      const body = (request.body ?? {}) as Record<string, string>;
      const again = (errors: { field: string; key: string }[], status = 400) => {
        const f = frame(request, reply, locale);
        return sendPage(reply, h(InvitePage, { frame: f, organisations: orgs, roles, values: body, errors: errors.map((e) => ({ field: e.field, message: f.ctx.t(e.key) })) }), status);
      };
      const form = parseForm(inviteForm, body);
      if (!form.ok) return again(form.errors.map((e) => ({ field: e.field, key: e.field === 'email' ? 'validation.invalid' : e.messageKey })));
      const org = orgs.find((o) => String(o.id) === form.data.organisation);
      if (!org) return again([{ field: 'organisation', key: 'validation.choice' }]);
      if (!isRole(form.data.role) || !rolesFor(org.kind).includes(form.data.role)) return again([{ field: 'role', key: 'identity.role.not_for_organisation' }]);
      try {
        await admin.inviteUser(ctx, request.session!, { email: form.data.email, name: form.data.name, role: form.data.role, organisationId: org.id || null, locale });
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict') return again([{ field: 'email', key: 'identity.email.taken' }], 409);
        throw err;
      }
      return reply.redirect(`${base}/users?sent=1`, 303);
    });

    app.post(`${base}/users/:id/role`, guardedPost, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const role = (request.body as Record<string, string> | undefined)?.role;
      if (!isRole(role)) throw new AppError('validation_failed');
      await admin.changeRole(ctx, request.session!, id, role as Role);
      return reply.redirect(`${base}/users`, 303);
    });

    app.get(`${base}/users/:id/deactivate`, guarded, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const rows = (await admin.listManagedUsers(ctx, request.session!, 1)).rows;
      const user = rows.find((r) => r.id === id);
      if (!user) throw new AppError('not_found');
      return sendPage(reply, h(DeactivatePage, { frame: frame(request, reply, locale), user }));
    });

    app.post(`${base}/users/:id/deactivate`, guardedPost, async (request, reply) => {
      const { id } = idParams.parse(request.params);
      await admin.deactivateUser(ctx, request.session!, id);
      return reply.redirect(`${base}/users`, 303);
    });

    app.get(`${base}/keys`, guarded, async (request, reply) => {
      const s = request.session!;
      // The platform has no organisation key: only organisation administrators hold one.
      if (!s.user.organisation_id || !(await findOrganisationById(db, s.user.organisation_id))) throw new AppError('forbidden');
      const holding = await admin.holdsOrganisationKey(ctx, s);
      const pending = holding ? (await admin.listManagedUsers(ctx, s, 1)).rows.filter((r) => r.needsKey).length : 0;
      return sendPage(reply, h(KeysPage, { frame: frame(request, reply, locale), holding, pending }));
    });

    app.post(`${base}/keys/claim`, guardedPost, async (request, reply) => {
      const key = String((request.body as Record<string, unknown> | undefined)?.recoveryKey ?? '').slice(0, 200);
      if (await admin.claimWithRecoveryKey(ctx, request.session!, key)) return reply.redirect(`${base}/keys`, 303);
      const f = frame(request, reply, locale);
      return sendPage(reply, h(KeysPage, { frame: f, holding: false, pending: 0, errors: [{ field: 'recoveryKey', message: f.ctx.t('keys.claim.wrong') }] }), 400);
    });

    app.post(`${base}/keys/grant`, guardedPost, async (request, reply) => {
      await admin.grantPendingMembers(ctx, request.session!);
      return reply.redirect(`${base}/keys`, 303);
    });

    const platformOnly = async (request: FastifyRequest) => { if (!isPlatformAdmin(request.session!)) throw new AppError('forbidden'); };
    app.get(`${base}/organisations`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [platformOnly] }, async (request, reply) =>
      sendPage(reply, h(OrganisationsPage, { frame: frame(request, reply, locale), organisations: await listOrganisations(db) })),
    );

    app.get(`${base}/organisations/new`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [platformOnly] }, async (request, reply) =>
      sendPage(reply, h(NewOrganisationPage, { frame: frame(request, reply, locale), institutions: (await listOrganisations(db)).filter((o) => o.kind === 'institution') })),
    );

    app.post(`${base}/organisations/new`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, platformOnly] }, async (request, reply) => {
      const institutions = (await listOrganisations(db)).filter((o) => o.kind === 'institution');
      const values = (request.body ?? {}) as Record<string, string>;
      const again = (errors: { field: string; key: string }[], status = 400) => {
        const f = frame(request, reply, locale);
        return sendPage(reply, h(NewOrganisationPage, { frame: f, institutions, values, errors: errors.map((e) => ({ field: e.field, message: f.ctx.t(e.key) })) }), status);
      };
      const form = parseForm(organisationForm, values);
      if (!form.ok) return again(form.errors.map((e) => ({ field: e.field, key: e.field === 'slug' ? 'orgs.slug.hint' : e.messageKey })));
      const parent = form.data.parent ? institutions.find((o) => String(o.id) === form.data.parent) : undefined;
      if (form.data.kind === 'office' && !parent) return again([{ field: 'parent', key: 'orgs.parent.required' }]);
      try {
        const created = await createOrganisation(ctx, {
          slug: form.data.slug, kind: form.data.kind, parentId: form.data.kind === 'office' ? parent!.id : null,
          names: { ar: form.data.nameAr, fr: form.data.nameFr, en: form.data.nameEn, zgh: form.data.nameZgh || null },
        }, `user:${request.session!.user.id}`);
        reply.header('cache-control', 'no-store');
        return sendPage(reply, h(OrganisationCreatedPage, { frame: frame(request, reply, locale), slug: form.data.slug, recoveryKey: created.recoveryKey }));
      } catch (err) {
        if (err instanceof AppError && err.code === 'conflict') return again([{ field: 'slug', key: 'orgs.slug.taken' }], 409);
        throw err;
      }
    });

    app.get(`${base}/audit`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [requireAuditor] }, async (request, reply) => {
      const q = auditQuery.parse(request.query ?? {});
      const filter = { action: q.action || undefined, actor: q.actor || undefined, target: q.target || undefined };
      const { rows, hasMore } = await admin.browseAudit(ctx, request.session!, { ...filter, beforeSeq: q.before });
      return sendPage(reply, h(AuditPage, { frame: frame(request, reply, locale), rows, hasMore, filter }));
    });
  }
}
