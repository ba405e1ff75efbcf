// `nazaha` command-line interface. Commands work while the portal runs on the same database
// (SQLite waits for the write lock; PostgreSQL needs nothing special).
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, portalUrl } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrateToLatest, pendingMigrations } from '../db/migrate.js';
import { recoveryKeyBanner, runSeeds } from '../db/seed.js';
import { anchorFile, auditHead, readAnchors, verifyAudit, writeAnchor } from '../modules/audit/service.js';
import { Presets, SingleBar } from 'cli-progress';
import { AppError } from '../errors.js';
import { findOrganisationBySlug } from '../modules/identity/directory.js';
import { isRole, type Role, roles } from '../modules/identity/roles.js';
import { addOffice } from '../modules/institutions/directory.js';
import { createOrganisation, createUser } from '../modules/identity/service.js';
import { purgeCandidates, purgeExpired, reclaimSpace } from '../modules/cases/retention.js';
import { createStorage } from '../storage/index.js';
import { deriveKey, loadRootSecret } from '../secrets.js';
import { isLocale } from '../web/i18n.js';

class UsageError extends Error {}

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
      console.log(applied.length ? applied.map((a) => `loaded ${a.name}: ${JSON.stringify(a.summary)}`).join('\n') : 'Reference data already loaded; nothing to do.');
      const banner = recoveryKeyBanner(applied);
      if (banner) process.stderr.write(banner);
    });
  });

function identityContext(database: ReturnType<typeof openDatabase>) {
  const root = loadRootSecret(loadConfig());
  return { database, totpKey: deriveKey(root, 'totp'), throttleKey: deriveKey(root, 'sign-in-throttle') };
}

const org = program.command('org').description('Organisations: institutions, their regional offices, NGOs');
org
  .command('create')
  .description('Create an organisation and print its recovery key, once')
  .requiredOption('--slug <slug>', 'short stable identifier, e.g. inpplc')
  .requiredOption('--kind <kind>', 'institution, office or ngo')
  .requiredOption('--name-ar <name>', 'name in Arabic')
  .requiredOption('--name-fr <name>', 'name in French')
  .requiredOption('--name-en <name>', 'name in English')
  .option('--name-zgh <name>', 'name in Tifinagh')
  .option('--parent <slug>', 'for an office: the institution it belongs to')
  .action(async (o: { slug: string; kind: string; nameAr: string; nameFr: string; nameEn: string; nameZgh?: string; parent?: string }) => {
    if (!['institution', 'office', 'ngo'].includes(o.kind)) throw new UsageError('--kind must be institution, office or ngo');
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(o.slug)) throw new UsageError('--slug must be lower-case letters, digits and hyphens');
    await withDatabase(async (database) => {
      await migrateToLatest(database.db);
      const parent = o.parent ? await findOrganisationBySlug(database.db, o.parent) : undefined;
      if (o.parent && !parent) throw new UsageError(`no organisation with slug ${o.parent}`);
      const created = await createOrganisation(identityContext(database), {
        slug: o.slug, kind: o.kind as 'institution', parentId: parent?.id ?? null, names: { ar: o.nameAr, fr: o.nameFr, en: o.nameEn, zgh: o.nameZgh ?? null },
      }, 'cli');
      console.log(`Created organisation ${o.slug} (id ${created.id}).`);
      console.log('');
      console.log('RECOVERY KEY (shown once; print it or write it down and keep it offline, e.g. in a safe):');
      console.log(`  ${created.recoveryKey}`);
      console.log('It opens every report sent to this organisation if all its members lose access.');
      console.log('The first administrator needs it to claim access to the organisation key.');
    });
  });

const user = program.command('user').description('Staff accounts');
user
  .command('create')
  .description('Create an account and print its one-time activation link (valid 24 hours)')
  .requiredOption('--email <email>', 'e-mail address')
  .requiredOption('--role <role...>', `one or more of: ${roles.join(', ')}`)
  .option('--org <slug>', 'organisation (none for platform roles)')
  .option('--name <name>', 'display name (default: the e-mail address)')
  .option('--locale <locale>', 'language of the activation page: ar, fr, en or zgh', 'fr')
  .action(async (o: { email: string; role: string[]; org?: string; name?: string; locale: string }) => {
    const wrong = o.role.filter((r) => !isRole(r));
    if (wrong.length) throw new UsageError(`unknown role ${wrong.join(', ')}; roles are: ${roles.join(', ')}`);
    if (!isLocale(o.locale)) throw new UsageError('--locale must be ar, fr, en or zgh');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(o.email.trim())) throw new UsageError('--email is not an e-mail address');
    await withDatabase(async (database) => {
      await migrateToLatest(database.db);
      const organisation = o.org ? await findOrganisationBySlug(database.db, o.org) : undefined;
      if (o.org && !organisation) throw new UsageError(`no organisation with slug ${o.org}`);
      const created = await createUser(identityContext(database), {
        email: o.email, displayName: o.name ?? o.email.trim(), roles: o.role as Role[], organisationId: organisation?.id ?? null, locale: o.locale,
      }, { actor: 'cli' });
      console.log(`${portalUrl(loadConfig())}/${o.locale}/staff/activate?token=${created.activationToken}`);
      console.log(`Account ${o.email.trim().toLowerCase()} created (user ${created.userId}). Give the link above to its owner over a trusted channel; it works once, for 24 hours.`);
    });
  });

program
  .command('office')
  .description('Regional offices of the directory')
  .command('add')
  .description('Add a regional office of an institution, with the regions or provinces it covers')
  .requiredOption('--slug <slug>', 'identifier, e.g. mediateur-tanger')
  .requiredOption('--institution <slug>', 'institution of the directory, e.g. mediateur')
  .requiredOption('--name-ar <name>', 'name in Arabic')
  .requiredOption('--name-fr <name>', 'name in French')
  .requiredOption('--name-en <name>', 'name in English')
  .option('--name-zgh <name>', 'name in Tifinagh')
  .option('--regions <codes>', 'comma-separated region codes covered, e.g. MA-01,MA-02', '')
  .option('--provinces <codes>', 'comma-separated province codes covered, e.g. oujda-angad', '')
  .option('--supervisor <slug>', 'office that supervises this one')
  .option('--address <text>', 'postal address (same in every language)')
  .option('--hours <text>', 'opening hours')
  .option('--phone <number>', 'phone number')
  .option('--email <email>', 'e-mail address')
  .action(async (o: Record<string, string | undefined>) => {
    const regions = (o.regions ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    const provinces = (o.provinces ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (regions.length + provinces.length === 0) throw new UsageError('give --regions or --provinces: an office must cover somewhere');
    const bad = regions.filter((r) => !/^MA-\d{2}$/.test(r));
    if (bad.length) throw new UsageError(`not a region code: ${bad.join(', ')} (expected MA-01 … MA-12)`);
    await withDatabase(async (database) => {
      await migrateToLatest(database.db);
      // The directory must be there (a fresh database gets its reference data, as on first start).
      const banner = recoveryKeyBanner(await runSeeds(database));
      if (banner) process.stderr.write(banner);
      const same = (v: string | undefined) => (v ? { ar: v, fr: v, en: v, zgh: v } : undefined);
      try {
        await addOffice(database.db, {
          slug: o.slug!, institution: o.institution!, ...(o.supervisor ? { supervisor: o.supervisor } : {}), regions, provinces,
          profile: {
            name: { ar: o.nameAr!, fr: o.nameFr!, en: o.nameEn!, zgh: o.nameZgh ?? o.nameFr! },
            ...(o.address ? { address: same(o.address)! } : {}), ...(o.hours ? { hours: same(o.hours)! } : {}),
            ...(o.phone ? { phone: o.phone } : {}), ...(o.email ? { email: o.email } : {}),
          },
        });
      } catch (err) {
        throw new UsageError(`could not add the office: ${(err as Error).message.split('\n')[0]}`);
      }
      console.log(`Added office ${o.slug} of ${o.institution}, covering ${[...regions, ...provinces].join(', ')}.`);
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

program
  .command('purge')
  .description('Delete the cases past their retention period and not on legal hold, as the daily job does (docs/cases.md#retention)')
  .option('--dry-run', 'only list what would be deleted')
  .option('--skip-notice', 'do not wait for the 30 days after the warning: every case past retention goes (after restoring a backup)')
  .action(async (o: { dryRun?: boolean; skipNotice?: boolean }) => {
    const config = loadConfig();
    await withDatabase(async (database) => {
      await migrateToLatest(database.db);
      const options = { skipNotice: o.skipNotice ?? false, actor: 'cli' };
      if (o.dryRun) {
        const candidates = await purgeCandidates(database, options);
        for (const c of candidates) console.log(`case ${c.reportId}\torganisation ${c.organisationId}\tchannel ${c.channelId}\tclosed ${c.closedDay}\tretention ended ${c.retentionEnd}\tdeletion ${c.deletionDay ?? '(not warned; --skip-notice)'}`);
        console.log(`${candidates.length} case(s) would be deleted. Nothing was changed.`);
        return;
      }
      const storage = createStorage(config.storage);
      let bar: SingleBar | undefined;
      const { purged } = await purgeExpired({ database, storage }, {
        ...options,
        onProgress: (done, total) => {
          if (!bar && total > 20 && process.stderr.isTTY) {
            bar = new SingleBar({ format: 'deleting {bar} {value}/{total} cases' }, Presets.shades_classic);
            bar.start(total, 0);
          }
          bar?.update(done);
        },
      });
      bar?.stop();
      if (purged.length) {
        const reclaimed = await reclaimSpace(database);
        console.log(`Deleted ${purged.length} case(s): ${purged.join(', ')}.`);
        console.log(`Space reclaimed (${reclaimed.vacuum} vacuum${reclaimed.checkpointBusy ? '; the WAL is still in use by another process and will be emptied at its next checkpoint' : ''}).`);
      } else {
        console.log('No case is due for deletion.');
      }
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof UsageError) {
    console.error(`nazaha: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof AppError) {
    console.error(`nazaha: ${err.message}`);
    process.exit(1);
  }
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`nazaha: ${(err as Error).message}`);
  process.exit(1);
}
