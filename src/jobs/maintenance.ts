// Housekeeping that every installation runs: forget expired rate-limit state, old secrets and
// expired sessions, and drop finished jobs after a week.
import type { Worker } from './queue.js';
import * as jobsRepo from './repository.js';
import * as rateRepo from '../web/rate-limit-repository.js';
import { deleteExpiredSessions } from '../modules/identity/service.js';

export function registerMaintenance(worker: Worker): Worker {
  return worker
    .register('maintenance.rate-limits', async (_payload, { database }) => {
      await rateRepo.deleteExpired(database.db);
      // The longest window is one day: yesterday's secret may still key a live window, no older one.
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await rateRepo.deleteSecretsBefore(database.db, yesterday);
    })
    .register('maintenance.jobs', async (_payload, { database }) => {
      await jobsRepo.deleteFinishedBefore(database.db, new Date(Date.now() - 7 * 86_400_000).toISOString());
    })
    .register('maintenance.sessions', async (_payload, { database }) => {
      await deleteExpiredSessions(database.db);
    })
    .every('maintenance.rate-limits', 10 * 60_000)
    .every('maintenance.sessions', 10 * 60_000)
    .every('maintenance.jobs', 24 * 3_600_000);
}
