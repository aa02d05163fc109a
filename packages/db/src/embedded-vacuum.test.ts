import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createLogger } from '@weft/kernel';
import { openDatabase, queryRows, type Database } from './database';
import { createEmbeddedVacuumJob, EMBEDDED_STATISTICS_TARGET, vacuumTablesThatNeedIt } from './embedded-vacuum';

// Always PGlite: the job exists because PGlite has no autovacuum.
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await database.db.execute(sql`CREATE TABLE churn (id int PRIMARY KEY, note text)`);
  await database.db.execute(sql`CREATE TABLE quiet (id int PRIMARY KEY)`);
  await database.db.execute(sql`INSERT INTO quiet SELECT g FROM generate_series(1, 10) g`);
  await vacuumTablesThatNeedIt(database); // a clean start: nothing left to do for either table
});
afterAll(async () => {
  await database.close();
});

async function readDeadRows(table: string): Promise<number> {
  // Statistics reach the views at most once a second unless flushed.
  await database.db.execute(sql`SELECT pg_stat_force_next_flush()`);
  await database.db.execute(sql`SELECT 1`);
  const rows = await queryRows<{ dead: number }>(database.db, sql`SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = ${table}`);
  return rows[0]!.dead;
}

describe('vacuuming the embedded database', () => {
  it('vacuums a table full of dead rows and leaves a quiet one alone', async () => {
    await database.db.execute(sql`INSERT INTO churn SELECT g, 'row ' || g FROM generate_series(1, 1000) g`);
    await database.db.execute(sql`DELETE FROM churn WHERE id > 100`);
    expect(await readDeadRows('churn')).toBe(900);

    expect(await vacuumTablesThatNeedIt(database)).toEqual(['churn']);
    expect(await readDeadRows('churn')).toBe(0);
    // Done: the next pass finds nothing to do.
    await database.db.execute(sql`SELECT pg_stat_force_next_flush()`);
    expect(await vacuumTablesThatNeedIt(database)).toEqual([]);
  });

  it('only analyzes a table that grew without dead rows: its statistics, not a vacuum, are what it needs', async () => {
    await database.db.execute(sql`CREATE TABLE grown (id int PRIMARY KEY)`);
    await database.db.execute(sql`INSERT INTO grown SELECT g FROM generate_series(1, 500) g`);
    expect(await readDeadRows('grown')).toBe(0);

    expect(await vacuumTablesThatNeedIt(database)).toEqual(['grown']);
    await database.db.execute(sql`SELECT pg_stat_force_next_flush()`);
    const rows = await queryRows<{ analyzed: boolean; vacuumed: boolean; estimate: number }>(
      database.db,
      sql`SELECT s.last_analyze IS NOT NULL AS analyzed, s.last_vacuum IS NOT NULL AS vacuumed, c.reltuples::int AS estimate
          FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'grown'`,
    );
    // The planner now knows the table's 500 rows.
    expect(rows[0]).toEqual({ analyzed: true, vacuumed: false, estimate: 500 });
  });

  it('samples with the embedded statistics target, and leaves the session setting as it was', async () => {
    await database.db.execute(sql`CREATE TABLE sampled (id int PRIMARY KEY, at timestamptz)`);
    await database.db.execute(sql`INSERT INTO sampled SELECT g, now() + g * interval '1 second' FROM generate_series(1, 2000) g`);
    expect(await readDeadRows('sampled')).toBe(0);
    expect(await vacuumTablesThatNeedIt(database)).toEqual(['sampled']);
    const stats = await queryRows<{ bounds: number }>(
      database.db,
      sql`SELECT array_length(histogram_bounds::text::text[], 1) AS bounds FROM pg_stats WHERE tablename = 'sampled' AND attname = 'at'`,
    );
    // A histogram of EMBEDDED_STATISTICS_TARGET buckets has one bound more; PostgreSQL's default would give 101.
    expect(stats[0]!.bounds).toBe(EMBEDDED_STATISTICS_TARGET + 1);
    const setting = await queryRows<{ target: string }>(database.db, sql`SELECT current_setting('default_statistics_target') AS target`);
    expect(setting[0]!.target).toBe('100');
  });

  it('runs as a periodic job on PGlite, and does nothing on PostgreSQL server, which has autovacuum', async () => {
    await database.db.execute(sql`UPDATE churn SET note = 'changed'`);
    await readDeadRows('churn');
    const logger = createLogger({ level: 'silent', format: 'json' });
    const onServer = createEmbeddedVacuumJob({ ...database, kind: 'postgres' });
    await onServer.run({ signal: new AbortController().signal, logger });
    expect(await readDeadRows('churn')).toBe(100);

    await createEmbeddedVacuumJob(database).run({ signal: new AbortController().signal, logger });
    expect(await readDeadRows('churn')).toBe(0);
  });
});
