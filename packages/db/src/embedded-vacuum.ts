import { sql } from 'drizzle-orm';
import type { PeriodicJob } from '@weft/kernel';
import { queryRows, quoteIdentifier, type Database } from './database';

/**
 * Tables whose dead rows, changes since the last ANALYZE or transaction-id
 * age call for maintenance, by PostgreSQL's own autovacuum rules (default
 * scale factors 0.2 and 0.1, threshold 50) and a freeze well before
 * wraparound; `needs_vacuum` says whether an ANALYZE alone is not enough.
 */
const TABLES_TO_MAINTAIN = sql`
  SELECT s.relname AS name, (s.n_dead_tup > 50 + 0.2 * s.n_live_tup OR age(c.relfrozenxid) > 100000000) AS needs_vacuum
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
  WHERE s.n_dead_tup > 50 + 0.2 * s.n_live_tup
     OR s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup
     OR age(c.relfrozenxid) > 100000000
  ORDER BY s.n_dead_tup DESC`;

/**
 * Rows ANALYZE samples are 300 times this. PostgreSQL's default (100) read
 * 30,000 rows of the runs table, about all of it at 15,000 runs: 85–275 ms,
 * and PGlite's one connection serves nothing else meanwhile (the
 * durable-async benchmark's p99 at half load was the maintenance pass).
 * With 10: 20–25 ms per run table. Ten most-common values and ten histogram
 * buckets per column are plenty for the plans an embedded instance needs
 * (which partial index, index or scan); columns that set their own target
 * keep it.
 */
export const EMBEDDED_STATISTICS_TARGET = 10;

/**
 * VACUUM, then ANALYZE, of each table with dead rows to reclaim or to
 * freeze; ANALYZE alone of each table that only changed much; returns their
 * names. Each is a statement of its own (not `VACUUM (ANALYZE)`), so the
 * queries waiting for the one connection get it in between.
 *
 * Why: PGlite runs PostgreSQL as one process with no autovacuum. Without
 * this, an embedded instance never reclaims dead row versions (the runs
 * table grew to 1.6 KB a row in the async benchmark and scans slowed with
 * it), never refreshes planner statistics, and would stop accepting writes
 * at transaction-id wraparound after about two billion transactions.
 * Statistics matter most: a table that grew from empty keeps being planned
 * as the few rows it had, and the run queue's statements then scan it. On
 * the durable-async benchmark that made enqueue→done p50 50–175 ms at 200–500
 * runs/s until the first pass; 2–6 ms after it.
 */
export async function vacuumTablesThatNeedIt(database: Database): Promise<string[]> {
  const tables = await queryRows<{ name: string; needs_vacuum: boolean }>(database.db, TABLES_TO_MAINTAIN);
  if (tables.length === 0) return [];
  // The one session of PGlite: only ANALYZE reads this setting, and it is reset after the pass.
  await database.db.execute(sql.raw(`SET default_statistics_target = ${EMBEDDED_STATISTICS_TARGET}`));
  try {
    for (const { name, needs_vacuum: needsVacuum } of tables) {
      // ANALYZE reads a sample; VACUUM every page and index: only where there is something to reclaim.
      if (needsVacuum) await database.db.execute(sql.raw(`VACUUM ${quoteIdentifier(name)}`));
      await database.db.execute(sql.raw(`ANALYZE ${quoteIdentifier(name)}`));
    }
  } finally {
    await database.db.execute(sql`RESET default_statistics_target`);
  }
  return tables.map((table) => table.name);
}

/**
 * The worker's job for it; on PostgreSQL server autovacuum does this and the job does nothing.
 * Every 10 seconds: finding the tables is one query on the statistics views, and a table growing
 * from empty needs its statistics refreshed long before a minute has passed (see above).
 */
export function createEmbeddedVacuumJob(database: Database, intervalMs = 10_000): PeriodicJob {
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
