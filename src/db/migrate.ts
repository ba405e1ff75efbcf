import { type Kysely, type Migration, type MigrationProvider, type MigrationResult, Migrator } from 'kysely';
import * as m20261126T2230 from './migrations/20261126T2230_foundation.js';
import * as m20261126T2330 from './migrations/20261126T2330_identity_audit.js';
import * as m20261126T2415 from './migrations/20261126T2415_directory_orientation.js';
import * as m20261126T2445 from './migrations/20261126T2445_reports.js';
import * as m20261127T0100 from './migrations/20261127T0100_holidays.js';
import * as m20261127T0110 from './migrations/20261127T0110_attachments.js';
import * as m20261127T0200 from './migrations/20261127T0200_cases.js';
import * as m20261127T0300 from './migrations/20261127T0300_questionnaires.js';
import * as m20261127T0400 from './migrations/20261127T0400_retention.js';
import * as m20261127T0500 from './migrations/20261127T0500_deadlines.js';
import * as m20261127T0600 from './migrations/20261127T0600_originals.js';

// Listed here rather than read from disk, so the same list works from src/ (tsx) and dist/ (node).
// Names are timestamps: two branches adding migrations never collide.
const migrations: Record<string, Migration> = {
  '20261126T2230_foundation': m20261126T2230,
  '20261126T2330_identity_audit': m20261126T2330,
  '20261126T2415_directory_orientation': m20261126T2415,
  '20261126T2445_reports': m20261126T2445,
  '20261127T0100_holidays': m20261127T0100,
  '20261127T0110_attachments': m20261127T0110,
  '20261127T0200_cases': m20261127T0200,
  '20261127T0300_questionnaires': m20261127T0300,
  '20261127T0400_retention': m20261127T0400,
  '20261127T0500_deadlines': m20261127T0500,
  '20261127T0600_originals': m20261127T0600,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
}

export class MigrationError extends Error {}

/** Applies every pending migration; concurrent callers (several nodes starting) are serialised by Kysely's lock. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(`Migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? String(error)}`);
  }
  return results ?? [];
}

/** Names of migrations known to this build that the database has not applied. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
