import { sql } from 'drizzle-orm';
import { queryRows, type DbExecutor } from './database';

export interface ClaimedJob {
  name: string;
  runCount: number;
}

/** Makes sure a row exists for each job; a new job is due at once. */
export async function registerPeriodicJobs(executor: DbExecutor, names: string[]): Promise<void> {
  for (const name of names) {
    await executor.execute(
      sql`INSERT INTO periodic_jobs (name, next_run_at) VALUES (${name}, now()) ON CONFLICT (name) DO NOTHING`,
    );
  }
}

/**
 * Claims `name` for `holder` when it is due and nobody holds a live lease.
 * One UPDATE with the condition in its WHERE clause: on PostgreSQL a second
 * worker racing for the row waits for the first to commit, re-checks the
 * condition and gets nothing.
 */
export async function claimPeriodicJob(
  executor: DbExecutor,
  name: string,
  holder: string,
  leaseMs: number,
): Promise<ClaimedJob | null> {
  const rows = await queryRows<{ name: string; run_count: number }>(
    executor,
    sql`UPDATE periodic_jobs
        SET locked_by = ${holder},
            locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
            last_started_at = now()
        WHERE name = ${name}
          AND next_run_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        RETURNING name, run_count`,
  );
  const row = rows[0];
  return row ? { name: row.name, runCount: row.run_count } : null;
}

/** Extends a held lease; false means it was lost (expired and taken by another worker). */
export async function renewPeriodicJobLease(
  executor: DbExecutor,
  name: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await queryRows<{ name: string }>(
    executor,
    sql`UPDATE periodic_jobs SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
        WHERE name = ${name} AND locked_by = ${holder} RETURNING name`,
  );
  return rows.length === 1;
}

export async function finishPeriodicJob(
  executor: DbExecutor,
  name: string,
  holder: string,
  intervalMs: number,
  error: string | null,
): Promise<void> {
  await executor.execute(
    sql`UPDATE periodic_jobs
        SET locked_by = NULL, locked_until = NULL, last_finished_at = now(),
            next_run_at = now() + make_interval(secs => ${intervalMs / 1000}),
            run_count = run_count + 1, last_error = ${error}
        WHERE name = ${name} AND locked_by = ${holder}`,
  );
}
