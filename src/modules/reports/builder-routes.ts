// Back office of the questionnaire builder: the channels of the administrator's institution, a
// channel's draft and versions, the preview of the real step pages, publication.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { listRegions } from '../institutions/service.js';
import type { StaffFrame } from '../identity/views/Staff.js';
import { createDraft, editableChannels, editorView, previewed, publishDraft, saveDraft } from './builder.js';
import { type Channel, channelById } from './channels.js';
import { updateChannelSettings } from './channel-settings.js';
import { canEditChannel, canEditQuestionnaires } from './policy.js';
import { ChannelSettingsPage } from './views/ChannelSettings.js';
import { findField, say } from './questionnaire.js';
import { problemMessage, QuestionnaireEditor, QuestionnairesPage } from './views/Builder.js';
import { describeCondition, type Place, QuestionStep } from './views/Report.js';

const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const previewParams = idParams.extend({ step: z.string().max(60) });
const previewQuery = z.object({ version: z.coerce.number().int().positive().max(1_000_000).optional().catch(undefined) });
const fromBody = z.object({ from: z.coerce.number().int().positive().max(1_000_000) });
const draftBody = z.object({ questionnaire: z.string().max(500_000), note: z.string().max(500).default('') });
const editorQuery = z.object({ saved: z.string().optional(), created: z.string().optional(), published: z.coerce.number().int().optional().catch(undefined) });

export async function questionnaireBuilderRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const { database } = opts;
  const { db } = database;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  const builder = async (request: FastifyRequest) => { if (!canEditQuestionnaires(request.session!)) throw new AppError('forbidden'); };
  const get = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [builder] };
  const post = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, builder] };
  const actor = (request: FastifyRequest) => `user:${request.session!.user.id}`;

  /** The channel named in the URL, if this administrator may edit it. */
  async function channelOf(request: FastifyRequest): Promise<Channel> {
    const { id } = idParams.parse(request.params);
    const channel = await channelById(db, id);
    if (!channel) throw new AppError('not_found');
    if (!canEditChannel(request.session!, channel)) throw new AppError('forbidden');
    return channel;
  }

  const placesFor = async (locale: Locale): Promise<Place[]> => {
    const name = (n: { ar: string; fr: string; en: string; zgh: string | null }) => (locale === 'zgh' ? n.zgh ?? n.fr : n[locale]);
    return (await listRegions(db)).map((r) => ({ code: r.code, name: name(r.name), provinces: r.provinces.map((p) => ({ code: p.code, name: name(p.name) })) }));
  };

  for (const locale of locales) {
    const base = `/${locale}/staff/questionnaires`;

    app.get(base, get, async (request, reply) => {
      const s = request.session!;
      const channels = await editableChannels(db, s.roles.includes('platform-admin') ? undefined : s.user.organisation_id ?? -1);
      return sendPage(reply, h(QuestionnairesPage, { frame: frame(request, reply, locale), channels }));
    });

    const renderEditor = async (request: FastifyRequest, reply: FastifyReply, channel: Channel, extra: { text?: string; note?: string; errors?: { field: string; message: string }[]; notice?: string } = {}) => {
      const view = await editorView(db, channel);
      const text = extra.text ?? (view.draft ? JSON.stringify({ steps: view.draft.questionnaire.steps }, null, 2) : '');
      return sendPage(reply, h(QuestionnaireEditor, {
        frame: frame(request, reply, locale), view, places: await placesFor(locale), text, note: extra.note ?? view.draft?.note ?? '', errors: extra.errors, notice: extra.notice,
      }), extra.errors?.length ? 400 : 200);
    };

    app.get(`${base}/:id`, get, async (request, reply) => {
      const channel = await channelOf(request);
      const q = editorQuery.parse(request.query ?? {});
      const t = pageContext(request, reply, locale).t;
      const notice = q.published ? t('questionnaires.published', { version: q.published }) : q.saved !== undefined ? t('questionnaires.saved') : q.created !== undefined ? t('questionnaires.created') : undefined;
      return renderEditor(request, reply, channel, { notice });
    });

    app.post(`${base}/:id/drafts`, post, async (request, reply) => {
      const channel = await channelOf(request);
      const { from } = fromBody.parse(request.body ?? {});
      await createDraft(database, channel, from, actor(request));
      return reply.redirect(`${base}/${channel.id}?created#draft`, 303);
    });

    app.post(`${base}/:id/draft`, post, async (request, reply) => {
      const channel = await channelOf(request);
      const body = draftBody.parse(request.body ?? {});
      const problem = await saveDraft(database, channel, body);
      if (!problem) return reply.redirect(`${base}/${channel.id}?saved#draft`, 303);
      if (problem.code === 'no_draft') throw new AppError('conflict', { message: 'no draft to save' });
      const t = pageContext(request, reply, locale).t;
      return renderEditor(request, reply, channel, { text: body.questionnaire, note: body.note, errors: [{ field: 'questionnaire', message: t(`questionnaires.error.${problem.code}`, { detail: problem.detail }) }] });
    });

    app.post(`${base}/:id/publish`, post, async (request, reply) => {
      const channel = await channelOf(request);
      const result = await publishDraft(database, channel, actor(request));
      if (result.ok) return reply.redirect(`${base}/${channel.id}?published=${result.version}`, 303);
      if ('noDraft' in result) throw new AppError('conflict', { message: 'no draft to publish' });
      const ctx = pageContext(request, reply, locale);
      return renderEditor(request, reply, channel, { errors: result.problems.map((p) => ({ field: 'questionnaire', message: problemMessage(ctx, p) })) });
    });

    // The reporter's step page, drawn from the draft (or a version) with every field and step shown:
    // conditions are spelled out instead of applied, so one walk through the pages shows everything.
    const settingsValues = (channel: Channel): Record<string, string> => ({
      ackAmount: String(channel.deadlines.ack.amount), ackUnit: channel.deadlines.ack.unit,
      feedbackAmount: String(channel.deadlines.feedback.amount), feedbackUnit: channel.deadlines.feedback.unit,
      others: channel.deadlines.others.length ? JSON.stringify(channel.deadlines.others, null, 2) : '',
      ackAr: channel.ackMessage?.ar ?? '', ackFr: channel.ackMessage?.fr ?? '', ackEn: channel.ackMessage?.en ?? '', ackZgh: channel.ackMessage?.zgh ?? '',
      keepOriginals: channel.keepOriginals ? 'yes' : '',
      retentionDays: String(channel.retentionDays),
    });

    app.get(`${base}/:id/settings`, get, async (request, reply) => {
      const channel = await channelOf(request);
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(ChannelSettingsPage, { frame: frame(request, reply, locale), channel, values: settingsValues(channel), saved: 'saved' in ((request.query ?? {}) as object) }));
    });

    app.post(`${base}/:id/settings`, post, async (request, reply) => {
      const channel = await channelOf(request);
      try {
        await updateChannelSettings(database, channel, request.body ?? {}, actor(request));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
        const fr = frame(request, reply, locale);
        const errors = (err.fields ?? []).map((f) => ({ field: f.field, message: fr.ctx.t(f.field === 'others' ? 'channel.settings.others.invalid' : f.messageKey, f.values) }));
        return sendPage(reply, h(ChannelSettingsPage, { frame: fr, channel, values: (request.body ?? {}) as Record<string, string>, errors }), 400);
      }
      return reply.redirect(`${base}/${channel.id}/settings?saved`, 303);
    });

    app.get(`${base}/:id/preview/:step`, get, async (request, reply) => {
      const channel = await channelOf(request);
      const { step: stepId } = previewParams.parse(request.params);
      const { version } = previewQuery.parse(request.query ?? {});
      const q = await previewed(db, channel, version);
      const i = q?.steps.findIndex((s) => s.id === stepId) ?? -1;
      if (!q || i === -1) throw new AppError('not_found');
      const step = q.steps[i]!;
      const ctx = pageContext(request, reply, locale);
      const places = await placesFor(locale);
      const here = new Set(step.fields.map((f) => f.id));
      const link = (s: { id: string } | undefined) => s && `${base}/${channel.id}/preview/${encodeURIComponent(s.id)}${version ? `?version=${version}` : ''}`;
      const fields = step.fields.map((field) => ({
        field,
        condition: field.showIf && findField(q, field.showIf.field)
          ? describeCondition(ctx, q, field.showIf, places, here.has(field.showIf.field) ? 'report.condition.field' : 'questionnaires.preview.field_condition')
          : undefined,
      }));
      const fixedPages = (channel.asksIdentity ? 1 : 0) + 2;
      return sendPage(reply, h(QuestionStep, {
        ctx, csrfToken: '', channel, stepIndex: i + 2, totalSteps: q.steps.length + fixedPages + 1, backHref: '', fields, title: say(step.title, locale), values: {}, places, action: '',
        preview: {
          note: step.showIf ? describeCondition(ctx, q, step.showIf, places, 'questionnaires.preview.step_condition') : undefined,
          previous: link(q.steps[i - 1]), next: link(q.steps[i + 1]), editor: `${base}/${channel.id}#draft`,
        },
      }));
    });
  }
}
