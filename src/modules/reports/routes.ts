// Reporting without JavaScript: choose a channel, answer a few steps (kept in an encrypted draft),
// choose anonymity and notices, check, send, keep the receipt. Then follow up with the receipt.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { h } from 'preact';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type PageContext, pageContext } from '../../web/context.js';
import { type Locale, locales, translate } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { getInstitution } from '../institutions/directory.js';
import { listRegions } from '../institutions/service.js';
import { checkStep, typedValues } from './answers.js';
import { answerRows, type Channel, channelById, getChannel, listChannels, questionnaireVersion } from './channels.js';
import { createDraft, type Draft, discardDraft, loadDraft, saveDraft } from './drafts.js';
import type { BlobStorage } from '../../storage/index.js';
import type { AttachmentLimits } from './attachments/service.js';
import { newChallenge, verifySolution } from './pow.js';
import { receiveFiles } from './uploads.js';
import { allowSubmission, reporterProtection, reporterReply, reporterReport, reporterView, signInWithReceipt, signOutReporter, submitReport } from './service.js';
import { FollowUpReport, FollowUpSignIn } from './views/FollowUp.js';
import { fieldsOnPage, incompleteStep, keptAnswers, say, type Step, visibleSteps } from './questionnaire.js';
import { ChooseChannel, describeCondition, IdentityStep, NoticeStep, type Place, QuestionStep, ReceiptPage, ReportMessage, ReviewStep } from './views/Report.js';

export interface ReportRouteOptions {
  database: Database;
  secureCookies: boolean;
  sourceKey: (address: string) => Promise<string>;
  uploads: { storage: BlobStorage; limits: AttachmentLimits };
  /** Signs proof-of-work challenges. */
  powKey: Buffer;
  submissionsPerHour: number;
}

/** About 2^14 SHA-256 computations in the browser: well under a second on a phone. */
const POW_BITS = 14;

const addedQuery = z.object({ added: z.coerce.number().int().min(1).max(10).optional().catch(undefined) });

const startQuery = z.object({
  institution: z.string().regex(/^[a-z0-9-]{2,63}$/).optional().catch(undefined),
  orientation: z.string().max(300).regex(/^[A-Za-z0-9.-]*$/).optional().catch(undefined),
  closed: z.string().optional().catch(undefined),
});
const emailish = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function reportRoutes(app: FastifyInstance, opts: ReportRouteOptions): Promise<void> {
  const { database, secureCookies } = opts;
  const db: Kysely<DB> = database.db;
  const DRAFT = secureCookies ? '__Host-nazaha-draft' : 'nazaha-draft';
  const REPORTER = secureCookies ? '__Host-nazaha-reporter' : 'nazaha-reporter';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secureCookies };
  /** Regions and their provinces named in the reader's language (zgh names fall back to French). */
  const placesFor = async (locale: Locale): Promise<Place[]> => {
    const name = (n: { ar: string; fr: string; en: string; zgh: string | null }) => (locale === 'zgh' ? n.zgh ?? n.fr : n[locale]);
    return (await listRegions(db)).map((r) => ({ code: r.code, name: name(r.name), provinces: r.provinces.map((p) => ({ code: p.code, name: name(p.name) })) }));
  };
  const flatPlaces = (places: Place[]) => [...places, ...places.flatMap((p) => p.provinces)];
  const institutionName = async (channel: Channel, locale: Locale) => (await getInstitution(db, channel.institution))?.name[locale] ?? channel.institution;

  /** The pages a reporter goes through with these answers, in order: conditional steps whose condition fails are left out. */
  const stepsOf = (locale: Locale, channel: Channel, answers: Record<string, string>) => [
    ...visibleSteps(channel.questionnaire, answers).map((s) => ({ id: s.id, href: `/${locale}/report/step/${s.id}` })),
    ...(channel.asksIdentity ? [{ id: 'identity', href: `/${locale}/report/identity` }] : []),
    { id: 'notices', href: `/${locale}/report/notices` },
    { id: 'review', href: `/${locale}/report/review` },
  ];
  const position = (locale: Locale, channel: Channel, answers: Record<string, string>, id: string) => {
    const steps = stepsOf(locale, channel, answers);
    const i = steps.findIndex((s) => s.id === id);
    return { n: i + 2, total: steps.length + 1, back: i > 0 ? steps[i - 1]!.href : `/${locale}/report`, next: steps[i + 1]?.href ?? `/${locale}/report/review` };
  };
  /** The page after `stepId` for these answers, even when `stepId` itself is now skipped. */
  const pageAfter = (locale: Locale, channel: Channel, answers: Record<string, string>, stepId: string) => {
    const all = channel.questionnaire.steps.map((s) => s.id);
    const visible = stepsOf(locale, channel, answers);
    return visible.find((v) => all.indexOf(v.id) > all.indexOf(stepId) || !all.includes(v.id))!.href;
  };
  /** The first page still to fill in before the review: not yet done, or missing a required answer. */
  const firstMissing = (locale: Locale, channel: Channel, draft: Draft) => {
    const incomplete = incompleteStep(channel.questionnaire, draft.answers);
    return stepsOf(locale, channel, draft.answers).find((x) => x.id !== 'review' && (!draft.done.includes(x.id) || x.id === incomplete));
  };

  /** Loads the draft and its channel, with the questionnaire version the draft was started with; or answers with the "expired" page. */
  async function withDraft(request: FastifyRequest, reply: FastifyReply, locale: Locale): Promise<{ draft: Draft; channel: Channel; cookie: string } | null> {
    const cookie = request.cookies[DRAFT];
    const draft = await loadDraft(db, cookie);
    const current = draft ? await getChannel(db, draft.channel) : undefined;
    if (!draft || !current || !cookie) {
      sendPage(reply, h(ReportMessage, { ctx: pageContext(request, reply, locale), titleKey: 'report.expired.title', textKey: 'report.expired.text' }), 410);
      return null;
    }
    // A version published while the reporter answers does not change the questions under them.
    const started = draft.version !== undefined && draft.version !== current.questionnaire.version ? await questionnaireVersion(db, current.id, draft.version) : undefined;
    return { draft, channel: started ? { ...current, questionnaire: started } : current, cookie };
  }

  const shown = (ctx: PageContext, problems: { field: string; key: string; values?: Record<string, number> }[]) => problems.map((p) => ({ field: p.field, message: ctx.t(p.key, p.values) }));

  for (const locale of locales) {
    app.get(`/${locale}/report`, { schema: { hide: true } }, async (request, reply) => {
      const q = startQuery.parse(request.query ?? {});
      const all = await listChannels(db);
      const channels = q.institution ? all.filter((c) => c.institution === q.institution) : all;
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(ChooseChannel, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), channels: channels.length ? channels : all, orientation: q.orientation }));
    });

    app.post(`/${locale}/report`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const channel = typeof body.channel === 'string' ? await getChannel(db, body.channel) : undefined;
      if (!channel) {
        const ctx = pageContext(request, reply, locale);
        return sendPage(reply, h(ChooseChannel, { ctx, csrfToken: reply.generateCsrf(), channels: await listChannels(db), errors: [{ field: 'channel', message: ctx.t('report.channel.required') }] }), 400);
      }
      const orientation = typeof body.orientation === 'string' && /^[A-Za-z0-9.-]{1,300}$/.test(body.orientation) ? body.orientation : undefined;
      await discardDraft(db, request.cookies[DRAFT]);
      const cookie = await createDraft(db, { channel: channel.slug, version: channel.questionnaire.version, orientation, answers: {} });
      reply.setCookie(DRAFT, cookie, cookieOptions);
      return reply.redirect(stepsOf(locale, channel, {})[0]!.href, 303);
    });

    const renderQuestions = async (request: FastifyRequest, reply: FastifyReply, s: { draft: Draft; channel: Channel }, step: Step, values: Record<string, string>, errors: { field: string; message: string }[] = []) => {
      const ctx = pageContext(request, reply, locale);
      const q = s.channel.questionnaire;
      const p = position(locale, s.channel, s.draft.answers, step.id);
      const places = await placesFor(locale);
      const fields = fieldsOnPage(step, keptAnswers(q, s.draft.answers)).map(({ field, conditional }) => ({
        field, condition: conditional && field.showIf ? describeCondition(ctx, q, field.showIf, places, 'report.condition.field') : undefined,
      }));
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(QuestionStep, {
        ctx, csrfToken: reply.generateCsrf(), channel: s.channel, stepIndex: p.n, totalSteps: p.total, backHref: p.back,
        fields, title: say(step.title, locale), values, errors, places, action: `/${locale}/report/step/${step.id}`,
      }), errors.length ? 400 : 200);
    };
    const stepOf = (s: { channel: Channel }, request: FastifyRequest) => {
      const step = s.channel.questionnaire.steps.find((x) => x.id === (request.params as { step: string }).step);
      if (!step) throw new AppError('not_found');
      return step;
    };
    const isShown = (s: { draft: Draft; channel: Channel }, step: Step) => visibleSteps(s.channel.questionnaire, s.draft.answers).some((x) => x.id === step.id);

    app.get(`/${locale}/report/step/:step`, { schema: { hide: true } }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const step = stepOf(s, request);
      // A step skipped by an earlier answer (a bookmark, the back button) leads on to the next one.
      if (!isShown(s, step)) return reply.redirect(pageAfter(locale, s.channel, s.draft.answers, step.id), 303);
      return renderQuestions(request, reply, s, step, s.draft.answers);
    });

    app.post(`/${locale}/report/step/:step`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const step = stepOf(s, request);
      if (!isShown(s, step)) return reply.redirect(pageAfter(locale, s.channel, s.draft.answers, step.id), 303);
      const q = s.channel.questionnaire;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const places = await placesFor(locale);
      const { answers, problems } = checkStep(step.fields, body, {
        regionCodes: places.map((r) => r.code), provinceCodes: places.flatMap((r) => r.provinces.map((p) => p.code)), earlier: keptAnswers(q, s.draft.answers),
      });
      if (problems.length) return renderQuestions(request, reply, s, step, typedValues(step.fields, body), shown(pageContext(request, reply, locale), problems));
      const others = Object.fromEntries(Object.entries(s.draft.answers).filter(([k]) => !step.fields.some((f) => f.id === k)));
      // Answers that stop counting (their step or field is now skipped) are erased, not kept aside;
      // a step that is skipped is no longer done, so it is asked again if it comes back.
      const kept = keptAnswers(q, { ...others, ...answers });
      const shownIds = new Set(stepsOf(locale, s.channel, kept).map((x) => x.id));
      const done = [...new Set([...s.draft.done, step.id])].filter((id) => shownIds.has(id));
      await saveDraft(db, s.cookie, { ...s.draft, answers: kept, done });
      return reply.redirect(position(locale, s.channel, kept, step.id).next, 303);
    });

    app.get(`/${locale}/report/identity`, { schema: { hide: true } }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      if (!s.channel.asksIdentity) return reply.redirect(`/${locale}/report/notices`, 303);
      const p = position(locale, s.channel, s.draft.answers, 'identity');
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(IdentityStep, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), stepIndex: p.n, totalSteps: p.total, backHref: p.back, value: s.draft.identity ? 'confidential' : 'anonymous', name: s.draft.identity?.name, contact: s.draft.identity?.contact }));
    });

    app.post(`/${locale}/report/identity`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      if (!s.channel.asksIdentity) return reply.redirect(`/${locale}/report/notices`, 303);
      const body = (request.body ?? {}) as Record<string, string>;
      const confidential = body.mode === 'confidential';
      const name = String(body.name ?? '').trim().slice(0, 200);
      const contact = String(body.contact ?? '').trim().slice(0, 200);
      if (confidential && !name) {
        const ctx = pageContext(request, reply, locale);
        const p = position(locale, s.channel, s.draft.answers, 'identity');
        return sendPage(reply, h(IdentityStep, { ctx, csrfToken: reply.generateCsrf(), stepIndex: p.n, totalSteps: p.total, backHref: p.back, value: 'confidential', name, contact, errors: [{ field: 'name', message: ctx.t('report.identity.name.required') }] }), 400);
      }
      await saveDraft(db, s.cookie, { ...s.draft, identity: confidential ? { name, contact } : undefined, done: [...new Set([...s.draft.done, 'identity'])] });
      return reply.redirect(`/${locale}/report/notices`, 303);
    });

    app.get(`/${locale}/report/notices`, { schema: { hide: true } }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const p = position(locale, s.channel, s.draft.answers, 'notices');
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(NoticeStep, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), stepIndex: p.n, totalSteps: p.total, backHref: p.back, value: s.draft.notice ? 'email' : 'none', address: s.draft.notice }));
    });

    app.post(`/${locale}/report/notices`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const body = (request.body ?? {}) as Record<string, string>;
      const address = String(body.address ?? '').trim().slice(0, 254);
      if (body.mode === 'email' && !emailish.test(address)) {
        const ctx = pageContext(request, reply, locale);
        const p = position(locale, s.channel, s.draft.answers, 'notices');
        return sendPage(reply, h(NoticeStep, { ctx, csrfToken: reply.generateCsrf(), stepIndex: p.n, totalSteps: p.total, backHref: p.back, value: 'email', address, errors: [{ field: 'address', message: ctx.t('report.notices.address.invalid') }] }), 400);
      }
      await saveDraft(db, s.cookie, { ...s.draft, notice: body.mode === 'email' ? address : undefined, done: [...new Set([...s.draft.done, 'notices'])] });
      return reply.redirect(`/${locale}/report/review`, 303);
    });

    const renderReview = async (request: FastifyRequest, reply: FastifyReply, s: { draft: Draft; channel: Channel }, error?: string) => {
      const p = position(locale, s.channel, s.draft.answers, 'review');
      const rows = answerRows(s.channel, keptAnswers(s.channel.questionnaire, s.draft.answers), flatPlaces(await placesFor(locale)), locale);
      const answers = rows.map((r) => ({ label: r.label, value: r.value, href: `/${locale}/report/step/${r.step}#${r.field}` }));
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(ReviewStep, {
        ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), channel: s.channel, institutionName: await institutionName(s.channel, locale),
        stepIndex: p.n, totalSteps: p.total, backHref: p.back, answers, anonymous: !s.draft.identity, errors: error ? [{ field: 'confirm', message: error }] : [],
        powChallenge: newChallenge(opts.powKey, POW_BITS),
      }), error ? 400 : 200);
    };

    app.get(`/${locale}/report/review`, { schema: { hide: true } }, async (request, reply) => {
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const missing = firstMissing(locale, s.channel, s.draft);
      if (missing) return reply.redirect(missing.href, 303);
      return renderReview(request, reply, s);
    });

    app.post(`/${locale}/report/submit`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const cookie = request.cookies[DRAFT];
      const draft = await loadDraft(db, cookie);
      const ctx = pageContext(request, reply, locale);
      if (draft && draft.done.includes('sent')) return sendPage(reply, h(ReportMessage, { ctx, titleKey: 'report.duplicate.title', textKey: 'report.duplicate.text' }), 409);
      const s = await withDraft(request, reply, locale);
      if (!s) return reply;
      const missing = firstMissing(locale, s.channel, s.draft);
      if (missing) return reply.redirect(missing.href, 303);
      const form = (request.body ?? {}) as Record<string, string>;
      if (form.confirm !== 'yes') return renderReview(request, reply, s, ctx.t('report.confirm.required'));
      const proof = typeof form.powChallenge === 'string' && typeof form.pow === 'string' ? verifySolution(opts.powKey, form.powChallenge, form.pow) : null;
      if (!(await allowSubmission(db, { sourceKey: await opts.sourceKey(request.ip), proof, perHour: opts.submissionsPerHour }))) {
        // The draft stays: the reporter can send it once the hour has passed.
        return sendPage(reply, h(ReportMessage, { ctx, titleKey: 'report.limited.title', textKey: 'report.limited.text' }), 429);
      }
      const result = await submitReport(database, {
        channel: s.channel.slug, submissionKey: s.draft.submissionKey,
        content: { channel: s.channel.slug, questionnaireVersion: s.channel.questionnaire.version, answers: keptAnswers(s.channel.questionnaire, s.draft.answers), orientation: s.draft.orientation },
        identity: s.draft.identity, noticeAddress: s.draft.notice, noticeLocale: locale,
      });
      // The draft keeps only the fact that it was sent: the answers are erased.
      await saveDraft(db, s.cookie, { channel: s.channel.slug, answers: {}, done: ['sent'], submissionKey: s.draft.submissionKey });
      if ('duplicate' in result) return sendPage(reply, h(ReportMessage, { ctx, titleKey: 'report.duplicate.title', textKey: 'report.duplicate.text' }), 409);
      reply.header('cache-control', 'no-store');
      reply.setCookie(REPORTER, result.reporterCookie, cookieOptions);
      return sendPage(reply, h(ReceiptPage, { ctx, receipt: result.receipt, institutionName: await institutionName(s.channel, locale), days: s.channel.ackDays }));
    });

    // Follow-up

    app.get(`/${locale}/follow-up`, { schema: { hide: true } }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(FollowUpSignIn, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), closed: startQuery.parse(request.query ?? {}).closed !== undefined }));
    });

    app.post(`/${locale}/follow-up`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const receipt = String((request.body as Record<string, unknown> | undefined)?.receipt ?? '');
      const result = await signInWithReceipt(database, { receipt, sourceKey: await opts.sourceKey(request.ip) });
      if (result.ok) {
        reply.setCookie(REPORTER, result.cookie, cookieOptions);
        return reply.redirect(`/${locale}/follow-up/report`, 303);
      }
      const ctx = pageContext(request, reply, locale);
      const message = ctx.t(result.reason === 'throttled' ? 'followup.throttled' : 'followup.invalid');
      return sendPage(reply, h(FollowUpSignIn, { ctx, csrfToken: reply.generateCsrf(), errors: [{ field: 'receipt', message }] }), result.reason === 'throttled' ? 429 : 400);
    });

    const renderFollowUp = async (request: FastifyRequest, reply: FastifyReply, error?: string, protectionError?: string, fileError?: string) => {
      const view = await reporterView(database, request.cookies[REPORTER]);
      if (!view) return reply.redirect(`/${locale}/follow-up`, 303);
      // The answers are read with the questions they answered: the version the report was made with.
      const channel = await channelById(db, view.channelId);
      const questionnaire = await questionnaireVersion(db, view.channelId, view.content.questionnaireVersion) ?? channel?.questionnaire;
      const answers = answerRows(questionnaire && { questionnaire }, view.content.answers, flatPlaces(await placesFor(locale)), locale);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(FollowUpReport, { ctx: pageContext(request, reply, locale), csrfToken: reply.generateCsrf(), view, answers, error, protectionError, fileError,
        added: addedQuery.parse(request.query ?? {}).added, maxMb: Math.floor(opts.uploads.limits.maxBytes / 1048576), keepsOriginals: channel?.keepOriginals ?? false,
      }), error || protectionError || fileError ? 400 : 200);
    };

    app.get(`/${locale}/follow-up/report`, { schema: { hide: true } }, async (request, reply) => renderFollowUp(request, reply));

    app.post(`/${locale}/follow-up/reply`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const message = String((request.body as Record<string, unknown> | undefined)?.message ?? '').trim();
      if (!message || message.length > 10_000) return renderFollowUp(request, reply, translate(locale, message ? 'report.field.too_long' : 'followup.reply.empty', { max: 10_000 }));
      if (!(await reporterReply(database, request.cookies[REPORTER], message))) return reply.redirect(`/${locale}/follow-up`, 303);
      return reply.redirect(`/${locale}/follow-up/report`, 303);
    });

    app.post(`/${locale}/follow-up/attachments`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const report = await reporterReport(database, request.cookies[REPORTER]);
      if (!report) return reply.redirect(`/${locale}/follow-up`, 303);
      const { added, error } = await receiveFiles(request, { database, storage: opts.uploads.storage, limits: opts.uploads.limits, reportId: report.reportId, reportPublicKey: report.publicKey, author: 'reporter' });
      if (error) return renderFollowUp(request, reply, undefined, undefined, translate(locale, `errors.${error.code}.title`));
      if (added.length === 0) return renderFollowUp(request, reply, undefined, undefined, translate(locale, 'attachments.none_chosen'));
      return reply.redirect(`/${locale}/follow-up/report?added=${added.length}#attachments`, 303);
    });

    app.post(`/${locale}/follow-up/protection`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const details = String(body.details ?? '').trim();
      const kind = body.kind === 'reprisal' ? 'reprisal' : 'protection';
      if (!details || details.length > 4000) return renderFollowUp(request, reply, undefined, translate(locale, details ? 'report.field.too_long' : 'followup.protection.empty', { max: 4000 }));
      if (!(await reporterProtection(database, request.cookies[REPORTER], { kind, body: details }))) return reply.redirect(`/${locale}/follow-up`, 303);
      return reply.redirect(`/${locale}/follow-up/report#protection`, 303);
    });

    app.post(`/${locale}/follow-up/sign-out`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      await signOutReporter(database, request.cookies[REPORTER]);
      reply.clearCookie(REPORTER, cookieOptions);
      return reply.redirect(`/${locale}/follow-up?closed=1`, 303);
    });
  }
}
