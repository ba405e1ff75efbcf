// `nazaha` command-line interface. Commands work while the portal runs on the same database
// (SQLite waits for the write lock; PostgreSQL needs nothing special).
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrateToLatest, pendingMigrations } from '../db/migrate.js';
import { runSeeds } from '../db/seed.js';
import { anchorFile, auditHead, readAnchors, verifyAudit, writeAnchor } from '../modules/audit/service.js';
import { Presets, SingleBar } from 'cli-progress';

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

const audit = program.command('audit').description('Check the tamper-evident audit log');
audit
  .command('verify')
  .description('Walk the whole chain and its anchors; exit 1 and name the first broken link if any')
  .action(async () => {
    const config = loadConfig();
    const code = await withDatabase(async (database) => {
      const total = (await auditHead(database.db))?.seq ?? 0;
      const bar = Number(total) > 10_000 && process.stderr.isTTY ? new SingleBar({ format: 'verifying {bar} {value}/{total} entries' }, Presets.shades_classic) : undefined;
      bar?.start(Number(total), 0);
      const anchors = readAnchors(anchorFile(config.dataDir));
      const result = await verifyAudit(database.db, anchors, (seq) => bar?.update(seq));
      bar?.stop();
      if (result.ok) {
        console.log(`Audit log intact: ${result.entries} entries, ${result.anchors} anchors checked.`);
        if (result.anchors === 0) console.log(`Note: no anchors in ${anchorFile(config.dataDir)}; deleting the latest entries would go unnoticed.`);
        return 0;
      }
      console.error(`Audit log BROKEN at entry ${result.seq} (${result.problem}): ${result.message}.`);
      console.error(`Entries 1 to ${result.entries} are intact.`);
      return 1;
    });
    process.exitCode = code;
  });
audit
  .command('anchor')
  .description('Record the current head of the chain in DATA_DIR/audit-anchors.jsonl now (the portal does it every 5 minutes)')
  .action(async () => {
    const config = loadConfig();
    await withDatabase(async (database) => {
      const anchor = await writeAnchor(database, config.dataDir);
      console.log(anchor ? `Anchored entry ${anchor.seq} (${anchor.hash}).` : 'Nothing new to anchor.');
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
