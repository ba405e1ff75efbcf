// Legal clocks at work: every hour one node scans the open cases (a recurring job, once per period
// across nodes) and queues one reminder per case, deadline and due day — to the handler (or the
// handlers of the institution or office when nobody is assigned) two working days before, and to
// the administrators once it is overdue. Unique job keys make each e-mail go once whatever the
// number of app processes. The e-mails carry no content: a case number, a due day and a link.
import type { Worker } from '../../jobs/queue.js';
import { enqueue } from '../../jobs/queue.js';
import type { Mailer } from '../../mail/mailer.js';
import { isLocale, translate } from '../../web/i18n.js';
import { activeMembersWithRoles } from '../identity/directory.js';
import { addDays, daysRemaining, localDay } from './clocks/calendar.js';
import type { OtherDeadline } from './clocks/deadlines.js';
import { loadCalendar } from './clocks/service.js';
import * as repo from './repository.js';

export const REMIND_WORKING_DAYS = 2;
const SCAN_EVERY_MS = 3_600_000;

interface Due { reportId: number; deadline: string; dueDay: string }

/** The deadlines of a case still running, by kind: ack, feedback, or a channel's own id. */
export function runningDeadlines(c: repo.CaseRow): Due[] {
  const out: Due[] = [];
  if (c.status === 'closed') return out;
  if (c.acknowledged_day === null) out.push({ reportId: c.report_id, deadline: 'ack', dueDay: c.ack_due_day });
  out.push({ reportId: c.report_id, deadline: 'feedback', dueDay: c.feedback_due_day });
  for (const o of JSON.parse(c.other_deadlines) as OtherDeadline[]) if (o.metDay === null) out.push({ reportId: c.report_id, deadline: o.id, dueDay: o.dueDay });
  return out;
}

export function registerCaseClockJobs(worker: Worker, opts: { mailer: Mailer; publicUrl: string }): Worker {
  worker.every('cases.clock-scan', SCAN_EVERY_MS);
  worker.register('cases.clock-scan', async (_payload, { database }) => {
    const now = new Date();
    const today = localDay(now);
    const year = Number(today.slice(0, 4));
    const calendar = await loadCalendar(database.db, year - 1, Math.min(year + 1, 2099));
    // Two working days are at most a week away, whatever the holidays.
    for (const c of await repo.casesDueBy(database.db, addDays(today, 10))) {
      for (const due of runningDeadlines(c)) {
        const left = daysRemaining(now, due.dueDay, calendar);
        if (left < 0) await enqueue(database, 'cases.overdue', due, { uniqueKey: `case-overdue:${due.reportId}:${due.deadline}:${due.dueDay}` });
        else if (left <= REMIND_WORKING_DAYS) await enqueue(database, 'cases.remind', due, { uniqueKey: `case-remind:${due.reportId}:${due.deadline}:${due.dueDay}` });
      }
    }
  });

  const send = async (to: { email: string; preferred_locale: string }[], kind: 'remind' | 'overdue', due: Due) => {
    for (const person of to) {
      const locale = isLocale(person.preferred_locale) ? person.preferred_locale : 'fr';
      const values = { id: due.reportId, day: due.dueDay, deadline: translate(locale, `mail.deadline.${due.deadline === 'ack' || due.deadline === 'feedback' ? due.deadline : 'other'}`) };
      await opts.mailer.send({
        to: person.email,
        subject: translate(locale, `mail.case_${kind}.subject`, values),
        text: translate(locale, `mail.case_${kind}.text`, { ...values, link: `${opts.publicUrl}/${locale}/staff/cases/${due.reportId}` }),
      });
    }
  };

  worker.register('cases.remind', async (due: Due, { database }) => {
    const c = await repo.findCase(database.db, due.reportId);
    // Met or closed since the scan: nothing to remind.
    if (!c || !runningDeadlines(c).some((d) => d.deadline === due.deadline && d.dueDay === due.dueDay)) return;
    const handlers = await activeMembersWithRoles(database.db, [c.office_id ?? c.organisation_id], ['case-handler', 'institution-admin']);
    const assigned = handlers.filter((h) => h.id === c.handler_id);
    await send(assigned.length ? assigned : handlers, 'remind', due);
  });

  worker.register('cases.overdue', async (due: Due, { database }) => {
    const c = await repo.findCase(database.db, due.reportId);
    if (!c || !runningDeadlines(c).some((d) => d.deadline === due.deadline && d.dueDay === due.dueDay)) return;
    const admins = await activeMembersWithRoles(database.db, [c.organisation_id, ...(c.office_id ? [c.office_id] : [])], ['institution-admin']);
    await send(admins, 'overdue', due);
  });
  return worker;
}
