// Case-handling pages of the back office: inbox, case page and its forms (plain HTML forms, each
// answering with a redirect to the case, or the case page again with the problem named).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { listOrganisations } from '../identity/directory.js';
import type { StaffFrame } from '../identity/views/Staff.js';
import { listRegions } from '../institutions/service.js';
import { answerRows, channelById, listChannels, questionnaireVersion } from '../reports/channels.js';
import type { ResolvedSession } from '../identity/service.js';
import { canDecideCustody, canHandleCases, canPlaceLegalHold, canReleaseLegalHold, canSeeCases, canTakeOver } from './policy.js';
import * as retention from './retention.js';
import { sendDownload } from '../../web/download.js';
import { receiveFiles } from '../reports/uploads.js';
import { attachmentParams, caseParams, deadlineParams, inboxQuery, protectionParams, requestParams } from './schemas.js';
import * as custody from './custody.js';
import * as cases from './service.js';
import { CasePage, CustodyQueue, InboxPage, type Names, OverduePage } from './views/Cases.js';

const id = z.coerce.number().int().positive();
const optionalId = z.union([z.literal('').transform(() => null), id]).optional();
const forms = {
  status: z.object({ status: z.enum(cases.statuses), outcome: z.union([z.literal('').transform(() => undefined), z.enum(cases.outcomes)]).optional() }),
  messages: z.object({ body: z.string().trim().min(1).max(20_000) }),
  notes: z.object({ note: z.string().trim().min(1).max(20_000) }),
  assignment: z.object({ handler: optionalId, office: optionalId }),
  labels: z.object({ labels: z.string().max(1000) }),
  transfer: z.object({ organisation: id, confirm: z.literal('yes') }),
  custody: z.object({ reason: z.string().trim().min(1).max(4000) }),
  protection: z.object({ measure: z.string().trim().min(1).max(4000), followUpDay: z.union([z.literal('').transform(() => null), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).default('') }),
  'legal-hold': z.object({ holdReason: z.string().trim().min(1).max(4000) }),
};
const releaseForm = z.object({ releaseReason: z.string().trim().min(1).max(4000) });
const protectionItemForm = z.object({
  status: z.enum(cases.protectionStatuses),
  followUpDay: z.union([z.literal('').transform(() => null), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).default(''),
});
const decisionForm = z.object({ approve: z.enum(['yes', 'no']), note: z.string().trim().max(4000).default(''), legalException: z.literal('yes').optional() });
const takeOverForm = z.object({ from: id, to: id });
const doneQuery = z.object({ done: z.string().regex(/^[a-z-]{1,30}$/).optional().catch(undefined) });

export async function casePageRoutes(app: FastifyInstance, opts: { ctx: cases.CasesContext }): Promise<void> {
  const { ctx } = opts;
  const { db } = ctx.database;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  const requireCases = async (request: FastifyRequest) => { if (!canSeeCases(request.session!)) throw new AppError('forbidden'); };
  const get = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [requireCases] };
  const require = (allowed: (s: ResolvedSession) => boolean) => async (request: FastifyRequest) => { if (!allowed(request.session!)) throw new AppError('forbidden'); };
  const post = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, require(canHandleCases)] };
  const postAs = (allowed: (s: ResolvedSession) => boolean) => ({ ...post, preHandler: [app.csrfProtection, require(allowed)] });

  async function names(request: FastifyRequest, locale: Locale): Promise<Names> {
    const s = request.session!;
    const pick = (o: { name_ar: string; name_fr: string; name_en: string; name_zgh: string | null }) => (locale === 'zgh' ? o.name_zgh ?? o.name_fr : o[`name_${locale}`]);
    const orgs = await listOrganisations(db);
    const people = s.roles.includes('case-handler') || s.roles.includes('institution-admin') ? (await cases.assignees(ctx, s)).people : [];
    return {
      channels: new Map((await listChannels(db)).map((c) => [c.id, c.name[locale]])),
      people: new Map(people.map((p) => [p.id, p.display_name])),
      offices: new Map(orgs.filter((o) => o.kind === 'office' && o.parent_id === s.user.organisation_id).map((o) => [o.id, pick(o)])),
      regions: new Map((await listRegions(db)).map((r) => [r.code, locale === 'zgh' ? r.name.zgh ?? r.name.fr : r.name[locale]])),
      organisations: new Map(orgs.map((o) => [o.id, pick(o)])),
    };
  }

  async function renderCase(request: FastifyRequest, reply: FastifyReply, locale: Locale, caseId: number, extra: { errors?: { field: string; message: string }[]; done?: string | undefined; identity?: Record<string, string> } = {}) {
    const s = request.session!;
    const view = await cases.openCase(ctx, s, caseId);
    const n = await names(request, locale);
    // Regions and provinces by name, and the questionnaire the report was made with (not today's).
    const pick = (x: { ar: string; fr: string; en: string; zgh: string | null }) => (locale === 'zgh' ? x.zgh ?? x.fr : x[locale]);
    const places = (await listRegions(db)).flatMap((r) => [{ code: r.code, name: pick(r.name) }, ...r.provinces.map((p) => ({ code: p.code, name: pick(p.name) }))]);
    const channel = await channelById(db, view.channelId);
    const questionnaire = (await questionnaireVersion(db, view.channelId, view.content.questionnaireVersion)) ?? channel?.questionnaire;
    const targets = canSeeCases(s) && (s.roles.includes('case-handler') || s.roles.includes('institution-admin')) ? await cases.transferTargets(ctx, s) : [];
    reply.header('cache-control', 'no-store');
    return sendPage(reply, h(CasePage, {
      frame: frame(request, reply, locale), view, names: n, answers: answerRows(questionnaire && { questionnaire }, view.content.answers, places, locale),
      transferTargets: targets.map((o) => ({ id: o.id, name: n.organisations.get(o.id) ?? o.slug })), canDecide: canDecideCustody(s), ...extra,
      retention: { view: await retention.retentionView(ctx, s, caseId), canPlace: canPlaceLegalHold(s), canRelease: canReleaseLegalHold(s) },
      maxMb: Math.floor(ctx.uploads.limits.maxBytes / 1048576), keepsOriginals: channel?.keepOriginals ?? false,
      deadlineLabels: Object.fromEntries((channel?.deadlines.others ?? []).map((o) => [o.id, o.label[locale] ?? o.label.fr])),
    }), extra.errors?.length ? 400 : 200);
  }

  /** Runs a form's action; a problem the user can fix re-renders the case with it named. */
  async function act(request: FastifyRequest, reply: FastifyReply, locale: Locale, caseId: number, then: string, run: () => Promise<unknown>) {
    const t = pageContext(request, reply, locale).t;
    try {
      await run();
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'invalid_transition' || err.code === 'conflict' || err.code === 'no_identity')) {
        const errors = err.fields?.length ? err.fields.map((f) => ({ field: f.field, message: t(f.messageKey, f.values) })) : [{ field: 'status', message: t(`errors.${err.code}.title`) }];
        return renderCase(request, reply, locale, caseId, { errors });
      }
      throw err;
    }
    return reply.redirect(then, 303);
  }

  for (const locale of locales) {
    app.get(`/${locale}/staff/cases`, get, async (request, reply) => {
      const parsed = inboxQuery.safeParse(request.query);
      const q = parsed.success ? parsed.data : {};
      const s = request.session!;
      const query: cases.InboxQuery = { ...q, channelId: q.channel, overdue: q.overdue === 'true' };
      const result = await cases.inbox(ctx, s, query);
      const takeOverDone = z.object({ moved: z.coerce.number().int().min(0).optional().catch(undefined) }).parse(request.query).moved;
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(InboxPage, { frame: frame(request, reply, locale), query, result, names: await names(request, locale), canTakeOver: canTakeOver(s), takeOverDone }));
    });

    app.get(`/${locale}/staff/cases/overdue`, get, async (request, reply) => {
      const { rows, holders } = await cases.overdueDashboard(ctx, request.session!);
      const labels = Object.fromEntries((await listChannels(db)).flatMap((c) => c.deadlines.others.map((o) => [o.id, o.label[locale] ?? o.label.fr])));
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(OverduePage, { frame: frame(request, reply, locale), rows, holders, names: await names(request, locale), deadlineLabels: labels }));
    });

    app.post(`/${locale}/staff/cases/take-over`, postAs(canTakeOver), async (request, reply) => {
      const form = takeOverForm.safeParse(request.body);
      if (!form.success) throw new AppError('validation_failed');
      const moved = await cases.takeOver(ctx, request.session!, { fromUserId: form.data.from, toUserId: form.data.to });
      return reply.redirect(`/${locale}/staff/cases?moved=${moved}`, 303);
    });

    app.get(`/${locale}/staff/cases/:id`, get, async (request, reply) => {
      const { id: caseId } = caseParams.parse(request.params);
      return renderCase(request, reply, locale, caseId, { done: doneQuery.parse(request.query).done });
    });

    const formRoute = <K extends keyof typeof forms>(what: K, run: (request: FastifyRequest, caseId: number, data: z.output<(typeof forms)[K]>) => Promise<unknown>) =>
      app.post(`/${locale}/staff/cases/:id/${what}`, post, async (request, reply) => {
        const { id: caseId } = caseParams.parse(request.params);
        const t = pageContext(request, reply, locale).t;
        const parsed = forms[what].safeParse(request.body ?? {});
        if (!parsed.success) {
          const errors = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? what), message: t(i.path[0] === 'confirm' ? 'case.transfer.confirm.required' : i.code === 'too_big' ? 'validation.too_long' : 'validation.required', { max: 20_000 }) }));
          return renderCase(request, reply, locale, caseId, { errors });
        }
        return act(request, reply, locale, caseId, `/${locale}/staff/cases/${caseId}?done=${what}`, () => run(request, caseId, parsed.data as z.output<(typeof forms)[K]>));
      });

    formRoute('status', (request, caseId, d) => cases.changeStatus(ctx, request.session!, caseId, d));
    formRoute('messages', (request, caseId, d) => cases.messageReporter(ctx, request.session!, caseId, d.body));
    formRoute('notes', (request, caseId, d) => cases.addNote(ctx, request.session!, caseId, d.note));
    formRoute('assignment', (request, caseId, d) => cases.assign(ctx, request.session!, caseId, { handlerId: d.handler ?? null, officeId: d.office ?? null }));
    formRoute('labels', (request, caseId, d) => cases.setLabels(ctx, request.session!, caseId, d.labels.split(',')));
    formRoute('custody', (request, caseId, d) => custody.requestIdentity(ctx, request.session!, caseId, d.reason));
    formRoute('protection', (request, caseId, d) => cases.recordMeasure(ctx, request.session!, caseId, { body: d.measure, followUpDay: (d.followUpDay as string | null) || null }));

    // Retention: placing a legal hold (whoever handles cases) and lifting it (institution admins).
    formRoute('legal-hold', (request, caseId, d) => retention.placeLegalHold(ctx, request.session!, caseId, d.holdReason));
    app.post(`/${locale}/staff/cases/:id/legal-hold/release`, postAs(canReleaseLegalHold), async (request, reply) => {
      const { id: caseId } = caseParams.parse(request.params);
      const form = releaseForm.safeParse(request.body ?? {});
      const t = pageContext(request, reply, locale).t;
      if (!form.success) return renderCase(request, reply, locale, caseId, { errors: [{ field: 'releaseReason', message: t(form.error.issues[0]?.code === 'too_big' ? 'validation.too_long' : 'validation.required', { max: 4000 }) }] });
      return act(request, reply, locale, caseId, `/${locale}/staff/cases/${caseId}?done=legal-hold-release`, () => retention.releaseLegalHold(ctx, request.session!, caseId, form.data.releaseReason));
    });
    app.post(`/${locale}/staff/cases/:id/protection/:item`, post, async (request, reply) => {
      const { id: caseId, item } = protectionParams.parse(request.params);
      const form = protectionItemForm.safeParse(request.body ?? {});
      const t = pageContext(request, reply, locale).t;
      if (!form.success) return renderCase(request, reply, locale, caseId, { errors: [{ field: `protection-${item}`, message: t('validation.invalid') }] });
      return act(request, reply, locale, caseId, `/${locale}/staff/cases/${caseId}?done=protection`, () => cases.updateProtection(ctx, request.session!, caseId, item, { status: form.data.status, followUpDay: (form.data.followUpDay as string | null) || null }));
    });
    // After a transfer the case is no longer ours to show: back to the inbox.
    app.post(`/${locale}/staff/cases/:id/transfer`, post, async (request, reply) => {
      const { id: caseId } = caseParams.parse(request.params);
      const t = pageContext(request, reply, locale).t;
      const parsed = forms.transfer.safeParse(request.body ?? {});
      if (!parsed.success) return renderCase(request, reply, locale, caseId, { errors: parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: t(i.path[0] === 'confirm' ? 'case.transfer.confirm.required' : 'validation.choice') })) });
      return act(request, reply, locale, caseId, `/${locale}/staff/cases?transferred=${caseId}`, () => cases.transfer(ctx, request.session!, caseId, { organisationId: parsed.data.organisation }));
    });

    app.post(`/${locale}/staff/cases/:id/deadlines/:deadline`, post, async (request, reply) => {
      const { id: caseId, deadline } = deadlineParams.parse(request.params);
      return act(request, reply, locale, caseId, `/${locale}/staff/cases/${caseId}?done=deadline`, () => cases.markDeadlineMet(ctx, request.session!, caseId, deadline));
    });

    app.get(`/${locale}/staff/cases/:id/attachments/:file`, get, async (request, reply) => {
      const { id: caseId, file } = attachmentParams.parse(request.params);
      return sendDownload(reply, await cases.downloadAttachment(ctx, request.session!, caseId, file));
    });

    // The untouched original, where the channel keeps them: a route of its own, audited apart.
    app.get(`/${locale}/staff/cases/:id/attachments/:file/original`, get, async (request, reply) => {
      const { id: caseId, file } = attachmentParams.parse(request.params);
      return sendDownload(reply, await cases.downloadAttachment(ctx, request.session!, caseId, file, { original: true }));
    });

    app.post(`/${locale}/staff/cases/:id/attachments`, post, async (request, reply) => {
      const { id: caseId } = caseParams.parse(request.params);
      const { added, error } = await receiveFiles(request, await cases.uploadTarget(ctx, request.session!, caseId));
      if (added.length) await cases.recordAttachments(ctx, request.session!, caseId, added.map((a) => a.id));
      const t = pageContext(request, reply, locale).t;
      if (error) return renderCase(request, reply, locale, caseId, { errors: [{ field: 'files', message: t(`errors.${error.code}.title`) }] });
      if (!added.length) return renderCase(request, reply, locale, caseId, { errors: [{ field: 'files', message: t('attachments.none_chosen') }] });
      return reply.redirect(`/${locale}/staff/cases/${caseId}?done=attachments#attachments`, 303);
    });

    app.get(`/${locale}/staff/custody`, { ...get, preHandler: [require(canDecideCustody)] }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(CustodyQueue, { frame: frame(request, reply, locale), pending: await custody.pendingCustody(ctx, request.session!) }));
    });

    app.post(`/${locale}/staff/custody/:id/decision`, postAs(canDecideCustody), async (request, reply) => {
      const { id: requestId } = requestParams.parse(request.params);
      const form = decisionForm.safeParse(request.body ?? {});
      if (!form.success) throw new AppError('validation_failed');
      await custody.decideIdentity(ctx, request.session!, requestId, { approve: form.data.approve === 'yes', note: form.data.note || '—', legalException: form.data.legalException === 'yes' });
      return reply.redirect(`/${locale}/staff/custody`, 303);
    });

    app.post(`/${locale}/staff/custody/:id/disclosure`, post, async (request, reply) => {
      const { id: requestId } = requestParams.parse(request.params);
      const identity = await custody.discloseIdentity(ctx, request.session!, requestId);
      const reportId = await custody.custodyCaseId(ctx, requestId);
      return renderCase(request, reply, locale, reportId, { identity, done: 'disclosed' });
    });
  }
}
