// Staff register reports received by phone, post or in person; the reporter gets a receipt like anyone.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { randomBytes } from '../../crypto/box.js';
import { type Database, writeTransaction } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { pageContext } from '../../web/context.js';
import { type Locale, locales } from '../../web/i18n.js';
import { sendPage } from '../../web/render.js';
import { appendAudit } from '../audit/service.js';
import type { StaffFrame } from '../identity/views/Staff.js';
import { checkStep } from './answers.js';
import { listChannels } from './channels.js';
import { staffFields } from './questionnaire.js';
import { canRegisterReports } from './policy.js';
import { submitReport } from './service.js';
import { StaffReportDone, StaffReportForm } from './views/StaffReport.js';

export async function staffReportRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const { database } = opts;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  const allowed = async (request: FastifyRequest) => { if (!canRegisterReports(request.session!)) throw new AppError('forbidden'); };
  const ownChannels = async (request: FastifyRequest) => (await listChannels(database.db)).filter((c) => c.organisationId === request.session!.user.organisation_id);

  for (const locale of locales) {
    app.get(`/${locale}/staff/reports/new`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [allowed] }, async (request, reply) =>
      sendPage(reply, h(StaffReportForm, { frame: frame(request, reply, locale), channels: await ownChannels(request) })),
    );

    app.post(`/${locale}/staff/reports/new`, { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, allowed] }, async (request, reply) => {
      const channels = await ownChannels(request);
      const body = (request.body ?? {}) as Record<string, string>;
      const channel = channels.find((c) => c.slug === body.channel);
      const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string').map(([k, v]) => [k, v.slice(0, 10_000)]));
      const f = () => frame(request, reply, locale);
      if (!channel) {
        const fr = f();
        return sendPage(reply, h(StaffReportForm, { frame: fr, channels, values, errors: [{ field: 'channel', message: fr.ctx.t('validation.choice') }] }), 400);
      }
      const fields = staffFields(channel.questionnaire);
      const { answers, problems } = checkStep(fields, body, { regionCodes: [] });
      if (problems.length) {
        const fr = f();
        return sendPage(reply, h(StaffReportForm, { frame: fr, channels, values, errors: problems.map((p) => ({ field: p.field, message: fr.ctx.t(p.key, p.values) })) }), 400);
      }
      const receivedBy = ['phone', 'post', 'in-person'].includes(body.receivedBy ?? '') ? body.receivedBy! : 'phone';
      const result = await submitReport(database, {
        channel: channel.slug, submissionKey: randomBytes(16).toString('hex'),
        content: { channel: channel.slug, questionnaireVersion: channel.questionnaire.version, answers: { ...answers, receivedBy } },
      });
      if (!('receipt' in result)) throw new AppError('conflict');
      await writeTransaction(database, (trx) => appendAudit(trx, database.dialect, {
        actor: `user:${request.session!.user.id}`, organisation: `org:${channel.organisationId}`, action: 'report.registered-by-staff', target: `report:${result.reportId}`, details: { received_by: receivedBy },
      }));
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(StaffReportDone, { frame: f(), receipt: result.receipt }));
    });
  }
}
