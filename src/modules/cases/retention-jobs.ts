// The daily retention jobs: warnings 30 days ahead, then the purge. Each is a recurring job, so it
// runs once a day whatever the number of app processes; the e-mails are jobs of their own, queued in
// the transaction that schedules the deletions, so each warning is sent once.
import type { FastifyBaseLogger } from 'fastify';
import type { Worker } from '../../jobs/queue.js';
import type { Mailer } from '../../mail/mailer.js';
import type { BlobStorage } from '../../storage/index.js';
import { isLocale, translate } from '../../web/i18n.js';
import { activeMembersWithRole } from '../identity/directory.js';
import { purgeExpired, reclaimSpace, scheduleDeletions } from './retention.js';

const DAY_MS = 24 * 3_600_000;

export function registerRetentionJobs(worker: Worker, opts: { mailer: Mailer; publicUrl: string; storage: BlobStorage; log: FastifyBaseLogger }): Worker {
  return worker
    .register('retention.warn', async (_payload, { database }) => {
      const warnings = await scheduleDeletions(database);
      if (warnings.length) opts.log.info({ retentionWarnings: warnings }, 'deletions scheduled, institutions warned');
    })
    // Content-free: how many cases, which day, and a link to the inbox filtered on that day.
    .register('retention.warning-mail', async (payload: { organisationId: number; day: string; count: number }, { database }) => {
      for (const admin of await activeMembersWithRole(database.db, payload.organisationId, 'institution-admin')) {
        const locale = isLocale(admin.preferred_locale) ? admin.preferred_locale : 'fr';
        const values = { count: payload.count, day: payload.day };
        await opts.mailer.send({
          to: admin.email,
          subject: translate(locale, 'mail.retention_warning.subject', values),
          text: translate(locale, 'mail.retention_warning.text', { ...values, link: `${opts.publicUrl}/${locale}/staff/cases?deletion=${payload.day}` }),
        });
      }
    })
    .register('retention.purge', async (_payload, { database, attempt }) => {
      const { purged } = await purgeExpired({ database, storage: opts.storage }, { actor: 'system' });
      // A retry after a failed reclaim finds nothing left to purge, and reclaims all the same.
      if (purged.length > 0 || attempt > 1) {
        const reclaimed = await reclaimSpace(database);
        opts.log.info({ purgedCases: purged.length, reclaimed }, 'cases past retention deleted');
      }
    })
    .every('retention.warn', DAY_MS)
    .every('retention.purge', DAY_MS);
}
