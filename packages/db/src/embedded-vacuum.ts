import { sql } from 'drizzle-orm';
import type { PeriodicJob } from '@weft/kernel';
import { queryRows, quoteIdentifier, type Database } from './database';

/**
 * Tables whose dead rows, changes since the last ANALYZE or transaction-id
 * age call for a VACUUM, by PostgreSQL's own autovacuum rules (default scale
 * factors 0.2 and 0.1, threshold 50) and a freeze well before wraparound.
 */
const TABLES_TO_VACUUM = sql`
  SELECT s.relname AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
  WHERE s.n_dead_tup > 50 + 0.2 * s.n_live_tup
     OR s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup
     OR age(c.relfrozenxid) > 100000000
  ORDER BY s.n_dead_tup DESC`;

/**
 * VACUUM (ANALYZE) of each table that needs it; returns their names.
 *
 * Why: PGlite runs PostgreSQL as one process with no autovacuum. Without
 * this, an embedded instance never reclaims dead row versions (the runs
 * table grew to 1.6 KB a row in the async benchmark and scans slowed with
 * it), never refreshes planner statistics, and would stop accepting writes
 * at transaction-id wraparound after about two billion transactions.
 */
export async function vacuumTablesThatNeedIt(database: Database): Promise<string[]> {
  const tables = await queryRows<{ name: string }>(database.db, TABLES_TO_VACUUM);
  for (const { name } of tables) await database.db.execute(sql.raw(`VACUUM (ANALYZE) ${quoteIdentifier(name)}`));
  return tables.map((table) => table.name);
}

/** The worker's job for it; on PostgreSQL server autovacuum does this and the job does nothing. */
export function createEmbeddedVacuumJob(database: Database, intervalMs = 60_000): PeriodicJob {
  return {
    name: 'db.vacuum-embedded',
    intervalMs,
    async run({ logger }) {
      if (database.kind !== 'pglite') return;
      const started = Date.now();
      const tables = await vacuumTablesThatNeedIt(database);
      if (tables.length > 0) logger.info({ tables, ms: Date.now() - started }, 'vacuumed embedded database tables');
    },
  };
}
