// Entry point of `npm start`: read config, migrate, seed, listen, and say what to do next.
import { ConfigError, loadConfig } from './config.js';
import { MigrationError } from './db/migrate.js';
import { startPortal } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message} See docs/configuration.md.\n`);
      process.exit(2);
    }
    throw err;
  }
  const portal = await startPortal(config);
  const { app } = portal;
  const address = await app.listen({ host: config.host, port: config.port });
  portal.worker?.start();
  const local = config.publicUrl ?? address;
  app.log.info({ database: portal.database.label, dataDir: config.dataDir }, `Nazaha is listening on ${address}`);
  process.stdout.write(
    [
      '',
      `  Nazaha is running: open ${local}/ in a browser.`,
      `  Database: ${portal.database.label}`,
      `  API documentation: ${local}/api/docs`,
      '  Next: create the first administrator with `npx nazaha --help`; see docs/ for deployment.',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n') + '\n',
  );
  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    portal.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof MigrationError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Nazaha could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
