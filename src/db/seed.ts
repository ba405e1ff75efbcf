// Reference data loaded on first start (and by `nazaha seed`). Each seed runs in one write
// transaction, under a lock on PostgreSQL, and is recorded in the seeds table: starting twice, or
// several nodes starting together, loads nothing twice.
import { type Kysely, sql } from 'kysely';
import { seedMovableHolidays } from '../modules/cases/clocks/service.js';
import { seedInstitutions } from '../modules/institutions/directory.js';
import { seedRegions } from '../modules/institutions/service.js';
import { seedOrientation } from '../modules/orientation/service.js';
import { seedChannels } from '../modules/reports/channels.js';
import type { Database } from './index.js';
import { nowIso, writeTransaction } from './index.js';
import type { DB } from './schema.js';

export interface SeedResult {
  /** What was loaded, for the log. */
  summary: Record<string, number>;
  /** Recovery keys of organisations created by the seed: shown once on the console, never logged. */
  recoveryKeys?: { slug: string; key: string }[];
}

interface Seed { name: string; run: (trx: Kysely<DB>, database: Database) => Promise<SeedResult> }

const seeds: Seed[] = [
  { name: 'reference.regions@2026-11-26', run: (trx) => seedRegions(trx) },
  { name: 'reference.institutions@2026-11-26', run: (trx, database) => seedInstitutions(trx, database.dialect) },
  { name: 'reference.orientation@2026-11-26', run: (trx) => seedOrientation(trx) },
  { name: 'reference.channels@2026-11-26', run: (trx) => seedChannels(trx) },
  { name: 'reference.holidays@2026-11-27', run: (trx) => seedMovableHolidays(trx) },
];

export async function runSeeds(database: Database, opts: { force?: boolean } = {}): Promise<({ name: string } & SeedResult)[]> {
  const applied: ({ name: string } & SeedResult)[] = [];
  for (const seed of seeds) {
    const result = await writeTransaction(database, async (trx) => {
      if (database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(7215002)`.execute(trx);
      const done = await trx.selectFrom('seeds').select('name').where('name', '=', seed.name).executeTakeFirst();
      if (done && !opts.force) return undefined;
      const r = await seed.run(trx, database);
      await trx.insertInto('seeds').values({ name: seed.name, applied_at: nowIso() })
        .onConflict((oc) => oc.column('name').doUpdateSet({ applied_at: nowIso() })).execute();
      return r;
    });
    if (result) applied.push({ name: seed.name, ...result });
  }
  return applied;
}

/** The recovery-key banner printed on the console after a seed created organisations. */
export function recoveryKeyBanner(results: SeedResult[]): string {
  const keys = results.flatMap((r) => r.recoveryKeys ?? []);
  if (keys.length === 0) return '';
  return [
    '',
    '  ==== RECOVERY KEYS (shown once: print them or write them down, keep them offline) ====',
    ...keys.map((k) => `  ${k.slug.padEnd(12)} ${k.key}`),
    '  Each opens every report sent to its organisation if all members lose access; the first',
    '  administrator of the organisation needs it to take the organisation key (docs/security-model.md).',
    '  =====================================================================================',
    '',
  ].join('\n');
}
