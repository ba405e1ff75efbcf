import type { FastifyBaseLogger } from 'fastify';
import type { Worker } from '../../jobs/queue.js';
import { writeAnchor } from './service.js';

/** Every 5 minutes, the chain's head goes to DATA_DIR/audit-anchors.jsonl and to the log. */
export function registerAuditJobs(worker: Worker, opts: { dataDir: string; log: FastifyBaseLogger }): Worker {
  return worker
    .register('audit.anchor', async (_payload, { database }) => {
      const anchor = await writeAnchor(database, opts.dataDir);
      if (anchor) opts.log.info({ auditAnchor: anchor }, 'audit chain anchored');
    })
    .every('audit.anchor', 5 * 60_000);
}
