// Opening everything the portal needs, in order: database, migrations, reference data, app, jobs.
import type { FastifyInstance } from 'fastify';
import { type Config, portalUrl } from './config.js';
import { type Database, openDatabase } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { recoveryKeyBanner, runSeeds } from './db/seed.js';
import { buildApp } from './app.js';
import { registerMaintenance } from './jobs/maintenance.js';
import { Worker } from './jobs/queue.js';
import { registerAuditJobs } from './modules/audit/jobs.js';
import { registerCaseClockJobs } from './modules/cases/reminders.js';
import { registerReportJobs } from './modules/reports/jobs.js';
import { registerReporterNotices } from './modules/reports/notices.js';
import { registerRetentionJobs } from './modules/cases/retention-jobs.js';
import { createStorage } from './storage/index.js';
import { deriveKey, loadRootSecret } from './secrets.js';
import { createMailer } from './mail/mailer.js';

export interface Portal { app: FastifyInstance; database: Database; worker: Worker | undefined; close(): Promise<void> }

export async function startPortal(config: Config): Promise<Portal> {
  const database = openDatabase(config.databaseUrl, { backgroundCheckpoints: true });
  try {
    await migrateToLatest(database.db);
    const seeded = await runSeeds(database);
    const app = await buildApp({ config, database });
    for (const s of seeded) app.log.info({ seed: s.name, loaded: s.summary }, 'reference data loaded');
    const banner = recoveryKeyBanner(seeded);
    // Straight to the console, never into the log stream.
    if (banner) process.stderr.write(banner);
    const jobLog = app.log.child({ component: 'jobs' });
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
    const worker = config.jobs ? new Worker({ database, log: jobLog }) : undefined;
    if (worker) {
      registerMaintenance(worker);
      registerAuditJobs(worker, { dataDir: config.dataDir, log: jobLog });
      registerReportJobs(worker, { mailer, publicUrl: portalUrl(config) });
      registerCaseClockJobs(worker, { mailer, publicUrl: portalUrl(config) });
      registerReporterNotices(worker, { mailer, publicUrl: portalUrl(config), noticeKey: deriveKey(loadRootSecret(config), 'reporter-notices') });
      registerRetentionJobs(worker, { mailer, publicUrl: portalUrl(config), storage: createStorage(config.storage), log: jobLog });
      if (!mailer.smtp) app.log.warn('SMTP_URL is not set: reporters who left an address get no e-mail notices (the outbox would keep their address in clear)');
    }
    let closed = false;
    return {
      app, database, worker,
      async close() {
        if (closed) return;
        closed = true;
        await worker?.stop();
        mailer.close();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
