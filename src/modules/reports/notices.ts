// Content-free e-mail notices to reporters who left an address ("there is news on your report").
// The address is sealed to the report key, so only someone who has opened the report (a handler)
// can queue a notice. In the job queue the address travels encrypted under a key derived from the
// root secret: a database dump alone does not reveal it. Without SMTP no notice is sent, because the
// outbox would keep the address on disk in clear.
import type { KeyPair } from '../../crypto/box.js';
import { decrypt, encrypt, openSealed } from '../../crypto/box.js';
import type { Database } from '../../db/index.js';
import { enqueue, type Worker } from '../../jobs/queue.js';
import type { Mailer } from '../../mail/mailer.js';
import { isLocale, type Locale, translate } from '../../web/i18n.js';
import * as repo from './repository.js';

const CONTEXT = 'nazaha:reporter-notice';

/** What the reporter left: an address, and the language of the form they used. */
export interface NoticeAddress { address: string; locale: Locale }

export function readNoticeAddress(sealed: string, keys: KeyPair): NoticeAddress {
  const value = JSON.parse(openSealed(Buffer.from(sealed, 'base64'), keys).toString('utf8')) as string | NoticeAddress;
  // Reports made before the language was kept hold the address alone.
  return typeof value === 'string' ? { address: value, locale: 'fr' } : value;
}

/** Queues one notice per report and day, whatever the number of messages that day. */
export async function queueReporterNotice(database: Database, input: { reportId: number; keys: KeyPair; noticeKey: Buffer }): Promise<boolean> {
  const report = await repo.findReportBy(database.db, { id: input.reportId });
  if (!report?.notice_address) return false;
  const notice = readNoticeAddress(report.notice_address, input.keys);
  const box = encrypt(Buffer.from(JSON.stringify(notice)), input.noticeKey, CONTEXT).toString('base64');
  const day = new Date().toISOString().slice(0, 10);
  await enqueue(database, 'reports.notify-reporter', { box }, { uniqueKey: `reporter-notice:${input.reportId}:${day}` });
  return true;
}

export function registerReporterNotices(worker: Worker, opts: { mailer: Mailer; publicUrl: string; noticeKey: Buffer }): Worker {
  return worker.register('reports.notify-reporter', async (payload: { box: string }) => {
    if (!opts.mailer.smtp) return;
    const notice = JSON.parse(decrypt(Buffer.from(payload.box, 'base64'), opts.noticeKey, CONTEXT).toString('utf8')) as NoticeAddress;
    const locale = isLocale(notice.locale) ? notice.locale : 'fr';
    await opts.mailer.send({
      to: notice.address,
      subject: translate(locale, 'mail.reporter_notice.subject'),
      text: translate(locale, 'mail.reporter_notice.text', { link: `${opts.publicUrl}/${locale}/follow-up` }),
    });
  });
}
