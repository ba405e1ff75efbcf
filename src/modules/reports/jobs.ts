// Staff learn of a new report by an e-mail that carries no content: only a link to sign in.
import type { Mailer } from '../../mail/mailer.js';
import type { Worker } from '../../jobs/queue.js';
import { isLocale, translate } from '../../web/i18n.js';
import { activeMembers } from '../identity/directory.js';
import * as repo from './repository.js';

export function registerReportJobs(worker: Worker, opts: { mailer: Mailer; publicUrl: string }): Worker {
  return worker.register('reports.notify-staff', async (payload: { reportId: number }, { database }) => {
    const report = await repo.findReportBy(database.db, { id: payload.reportId });
    if (!report) return;
    for (const member of await activeMembers(database.db, report.organisation_id)) {
      const locale = isLocale(member.preferred_locale) ? member.preferred_locale : 'fr';
      await opts.mailer.send({
        to: member.email,
        subject: translate(locale, 'mail.new_report.subject'),
        text: translate(locale, 'mail.new_report.text', { link: `${opts.publicUrl}/${locale}/staff` }),
      });
    }
  });
}
