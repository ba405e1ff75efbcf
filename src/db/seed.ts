// Reference data loaded on first start (and by `nazaha seed`). Each seed runs in one transaction and
// is recorded in the seeds table, so starting twice loads nothing twice; seeds also upsert by key, so
// two nodes starting together cannot duplicate rows either.
import type { Transaction } from 'kysely';
import { seedRegions } from '../modules/institutions/service.js';
import type { Database } from './index.js';
import { nowIso } from './index.js';
import type { DB } from './schema.js';

interface Seed { name: string; run: (trx: Transaction<DB>) => Promise<unknown> }

const seeds: Seed[] = [{ name: 'reference.regions@2026-11-26', run: seedRegions }];

export async function runSeeds(database: Database, opts: { force?: boolean } = {}): Promise<{ name: string; result: unknown }[]> {
  const applied: { name: string; result: unknown }[] = [];
  for (const seed of seeds) {
    const done = await database.db.selectFrom('seeds').select('name').where('name', '=', seed.name).executeTakeFirst();
    if (done && !opts.force) continue;
    const result = await database.db.transaction().execute(async (trx) => {
      const r = await seed.run(trx);
      await trx.insertInto('seeds').values({ name: seed.name, applied_at: nowIso() })
        .onConflict((oc) => oc.column('name').doUpdateSet({ applied_at: nowIso() })).execute();
      return r;
    });
    applied.push({ name: seed.name, result });
  }
  return applied;
}
