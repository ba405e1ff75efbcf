// `nazaha` command-line interface. Commands work while the portal runs on the same database
// (SQLite waits for the write lock; PostgreSQL needs nothing special).
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrateToLatest, pendingMigrations } from '../db/migrate.js';
import { runSeeds } from '../db/seed.js';

const program = new Command()
  .name('nazaha')
  .description('Administer a Nazaha portal. Reads the same environment variables as the portal (docs/configuration.md).')
  .showHelpAfterError()
  .exitOverride();

async function withDatabase<T>(fn: (database: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const database = openDatabase(loadConfig().databaseUrl);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

program
  .command('migrate')
  .description('Apply pending database migrations')
  .option('--status', 'only list the migrations not yet applied')
  .action(async (opts: { status?: boolean }) => {
    await withDatabase(async (database) => {
      if (opts.status) {
        const pending = await pendingMigrations(database.db);
        console.log(pending.length ? `Pending migrations:\n${pending.map((p) => `  ${p}`).join('\n')}` : `${database.label}: up to date.`);
        return;
      }
      const results = await migrateToLatest(database.db);
      console.log(results.length ? results.map((r) => `applied ${r.migrationName}`).join('\n') : `${database.label}: already up to date.`);
    });
  });

program
  .command('seed')
  .description('Load the reference data shipped with Nazaha (regions, provinces); already-loaded data is skipped')
  .option('--force', 'load again even if already loaded (updates rows in place, never duplicates)')
  .action(async (opts: { force?: boolean }) => {
    await withDatabase(async (database) => {
      await migrateToLatest(database.db);
      const applied = await runSeeds(database, { force: opts.force ?? false });
      console.log(applied.length ? applied.map((a) => `loaded ${a.name}: ${JSON.stringify(a.result)}`).join('\n') : 'Reference data already loaded; nothing to do.');
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`nazaha: ${(err as Error).message}`);
  process.exit(1);
}
