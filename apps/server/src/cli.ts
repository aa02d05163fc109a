import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, createLogger, type Config } from '@weft/kernel';
import { applyMigrations, openDatabase } from '@weft/db';
import { createTokenCommand, createUserCommand, type CommandIo } from './accounts.commands';
import { rotateKeys } from './keys.commands';
import { createPlatform, MIGRATIONS_DIR, VERSION, type Platform } from './platform';
import { describeImportedWorkflow, describeImportFailure, importWorkflowFile } from './workflows.commands';

const USAGE = `weft ${VERSION} — automation platform for Discord bots and workflows

Usage: weft <command> [options]

Commands:
  start                  API, dashboard and worker in one process (the default)
  server                 API and dashboard only (run workers separately)
  worker                 background worker only: events, schedules, runs, retention
  migrate                apply pending database migrations and exit
  admin create-user      create an account: --email E --username U --password P [--admin]
  tokens create          create an API token: --user U --workspace W --scopes S
  import FILE            import a workflow: --workspace W [--publish]
  keys rotate            add a master key version and re-wrap every workspace data key
  standin discord        offline Discord stand-in for bot development: [--port P] [--host H]
  help                   show this text

With the embedded database, stop the server before running admin, tokens,
import or keys commands (PGlite allows one process at a time).
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
  // Needs no configuration or database: a local fake of discord.com for developing bots offline.
  if (command === 'standin') return runStandin(positionals[1], argv.slice(2));

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
    case 'admin':
    case 'tokens':
    case 'import':
    case 'keys':
      return runOperatorCommand(config, positionals, argv);
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 64; // EX_USAGE
  }
}

async function run(config: Config, role: Role): Promise<number> {
  const startedAt = performance.now();
  const platform = await createPlatform({ config });
  const { logger } = platform;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  // Listening from here on: a signal during start-up (a supervisor stopping a slow start) must
  // stop the platform cleanly once it has started, not kill the process with half of it running.
  const shutdown = waitForShutdownSignal(platform, started);
  try {
    if (role !== 'worker') {
      await platform.start();
      await platform.app.listen({ port: config.port, host: config.host });
    }
    if (role !== 'server') await platform.worker.start();
  } finally {
    markStarted();
  }
  logger.info(
    { role, url: role === 'worker' ? undefined : config.publicUrl, database: platform.database.kind, readyMs: Math.round(performance.now() - startedAt) },
    role === 'worker' ? 'Weft worker is running' : `Weft is ready on ${config.publicUrl}`,
  );
  await shutdown;
  return 0;
}

function waitForShutdownSignal(platform: Platform, started: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        platform.logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      platform.logger.info({ signal }, 'shutting down: finishing in-flight work');
      started.then(() => platform.close()).then(
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
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedCompiler: config.db.embeddedCompiler,
    logger,
  });
  try {
    const applied = await applyMigrations(database, MIGRATIONS_DIR);
    print(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

const commandIo: CommandIo = {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Commands of the instance operator: they run against the database with the platform's own rules. */
async function runStandin(service: string | undefined, args: string[]): Promise<number> {
  if (service !== 'discord') return usageError(`Unknown stand-in "${service ?? ''}"; the one available is "discord".`);
  const { values } = parseArgs({ args, strict: true, options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return usageError(`--port must be a port number, not "${values.port}"`);
  const { runDiscordStandin } = await import('@weft/testing');
  const running = await runDiscordStandin({ port, host: values.host, print: (text) => process.stdout.write(`${text}\n`) });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}

async function runOperatorCommand(config: Config, positionals: string[], argv: string[]): Promise<number> {
  const [command, sub] = positionals;
  const rest = argv.slice(argv.indexOf(command!) + (command === 'import' ? 1 : 2));
  if (command === 'keys') {
    if (sub !== 'rotate') return usageError(`Unknown command "keys ${sub ?? ''}".`);
    return rotateKeys({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      migrationsDir: MIGRATIONS_DIR,
      rewrapOnly: rest.includes('--rewrap-only'),
      print: commandIo.err,
    });
  }
  const quiet = { ...config, log: { ...config.log, level: 'warn' as const } };
  const platform = await createPlatform({ config: quiet });
  try {
    if (command === 'admin' && sub === 'create-user') return await createUserCommand(platform.modules.accounts.api, rest, commandIo);
    if (command === 'tokens' && sub === 'create') return await createTokenCommand(platform.modules.accounts.api, rest, commandIo);
    if (command === 'import') return await importCommand(platform, rest);
    return usageError(`Unknown command "${positionals.join(' ')}".`);
  } finally {
    await platform.close();
  }
}

async function importCommand(platform: Platform, args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    strict: false,
    options: { workspace: { type: 'string' }, publish: { type: 'boolean' } },
  });
  const file = positionals[0];
  if (!file || typeof values.workspace !== 'string') return usageError('Usage: weft import FILE --workspace W [--publish]');
  try {
    const summary = await importWorkflowFile(
      { file, workspace: values.workspace, publish: values.publish === true },
      { workflows: platform.modules.workflows.api, findWorkspace: platform.modules.workspaces.api.findWorkspace },
    );
    commandIo.out(describeImportedWorkflow(summary));
    return 0;
  } catch (error) {
    commandIo.err(describeImportFailure(error));
    return 65; // EX_DATAERR
  }
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 64; // EX_USAGE
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
