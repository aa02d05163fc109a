import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, createLogger, type Config } from '@weft/kernel';
import { applyMigrations, openDatabase } from '@weft/db';
import { createPlatform, MIGRATIONS_DIR, VERSION, type Platform } from './platform';

const USAGE = `weft ${VERSION} — automation platform for Discord bots and workflows

Usage: weft <command> [options]

Commands:
  start     API, dashboard and worker in one process (the default)
  server    API and dashboard only (run workers separately)
  worker    background worker only: events, schedules, runs, retention
  migrate   apply pending database migrations and exit
  help      show this text

Configuration comes from environment variables; see README.md.`;

type Role = 'start' | 'server' | 'worker';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
  });
  const command = positionals[0] ?? 'start';
  if (values.version) return print(VERSION);
  if (values.help || command === 'help') return print(USAGE);

  let config: Config;
  try {
    // The only read of process.env in the product: parsed once, passed down.
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }

  switch (command) {
    case 'start':
    case 'server':
    case 'worker':
      return run(config, command);
    case 'migrate':
      return migrate(config);
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 64; // EX_USAGE
  }
}

async function run(config: Config, role: Role): Promise<number> {
  const startedAt = performance.now();
  const platform = await createPlatform({ config });
  const { logger } = platform;
  if (role !== 'worker') {
    await platform.app.listen({ port: config.port, host: config.host });
  }
  if (role !== 'server') await platform.worker.start();
  logger.info(
    { role, url: role === 'worker' ? undefined : config.publicUrl, database: platform.database.kind, readyMs: Math.round(performance.now() - startedAt) },
    role === 'worker' ? 'Weft worker is running' : `Weft is ready on ${config.publicUrl}`,
  );
  await waitForShutdownSignal(platform);
  return 0;
}

function waitForShutdownSignal(platform: Platform): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        platform.logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      platform.logger.info({ signal }, 'shutting down: finishing in-flight work');
      platform.close().then(
        () => {
          platform.logger.info('stopped cleanly');
          resolve();
        },
        (error: unknown) => {
          platform.logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function migrate(config: Config): Promise<number> {
  const logger = createLogger(config.log);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    const applied = await applyMigrations(database, MIGRATIONS_DIR);
    print(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

function print(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`weft: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
