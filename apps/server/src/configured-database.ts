import { openDatabase, type Database, type PrestartedEmbeddedThread } from '@weft/db';
import type { Config, Logger } from '@weft/kernel';

/**
 * Opens the database the configuration names. The CLI calls it before it has
 * loaded the platform's code, with the embedded database's thread it started
 * even earlier, and does not wait for the embedded database to start; the
 * platform calls it when it is given no database.
 */
export function openConfiguredDatabase(config: Config, logger: Logger, prestartedThread?: PrestartedEmbeddedThread): Promise<Database> {
  return openDatabase({
    returnWhileStarting: prestartedThread !== undefined,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.db.poolSize,
    embeddedCompiler: config.db.embeddedCompiler,
    logger,
    prestartedThread,
  });
}
