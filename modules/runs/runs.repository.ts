import { and, asc, desc, eq, getTableColumns, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbExecutor, type Tx } from '@weft/db';
import { INLINE_STEP_COLUMNS, INLINE_STEP_OUTPUT, inlineStepRows } from './inline-steps';
import { RUN_CANCEL_CHANNEL } from './runs.events';
import { runRetentionPolicies, runs, runSteps, type RunStatus } from './runs.tables';

export type RunRow = typeof runs.$inferSelect;
export type RunStepRow = typeof runSteps.$inferSelect;
/** A run as lists show it: without a draft run's graph and inline steps, which only its detail needs. */
export type RunListRow = Omit<RunRow, 'draftGraph' | 'steps'>;

const { draftGraph: _draftGraph, steps: _steps, ...listColumns } = getTableColumns(runs);

export interface RunFilter {
  workspaceId: string;
  status?: RunStatus;
  workflowId?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: runs strictly older than this (created_at, id). */
  before?: { at: Date; id: string };
}

export async function listRunRows(executor: DbExecutor, filter: RunFilter, limit: number): Promise<RunListRow[]> {
  const conditions: SQL[] = [eq(runs.workspaceId, filter.workspaceId)];
  if (filter.status) conditions.push(eq(runs.status, filter.status));
  if (filter.workflowId) conditions.push(eq(runs.workflowId, filter.workflowId));
  if (filter.from) conditions.push(gte(runs.createdAt, filter.from));
  if (filter.to) conditions.push(lte(runs.createdAt, filter.to));
  if (filter.before) {
    conditions.push(or(lt(runs.createdAt, filter.before.at), and(eq(runs.createdAt, filter.before.at), lt(runs.id, filter.before.id)))!);
  }
  return executor
    .select(listColumns)
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit);
}

/** Scoped by workspace: another workspace's run is simply not found. */
export async function findRunRow(executor: DbExecutor, workspaceId: string, id: string): Promise<RunRow | null> {
  const rows = await executor
    .select()
    .from(runs)
    .where(and(eq(runs.id, id), eq(runs.workspaceId, workspaceId)));
  return rows[0] ?? null;
}

/** The run's steps, wherever they were written: inline with the run or as rows of `run_steps`. */
export async function listRunStepRows(executor: DbExecutor, run: Pick<RunRow, 'id' | 'steps' | 'input' | 'response'>): Promise<RunStepRow[]> {
  if (run.steps !== null && run.steps !== undefined) return inlineStepRows(run);
  return executor.select().from(runSteps).where(eq(runSteps.runId, run.id)).orderBy(asc(runSteps.startedAt), asc(runSteps.finishedAt));
}

/**
 * A queued run ends as cancelled at once; a running one gets
 * `cancel_requested_at`, and the runner holding it (woken by NOTIFY, or at
 * its next checkpoint or heartbeat) stops it before its next step.
 */
export async function requestRunCancel(tx: Tx, workspaceId: string, id: string): Promise<RunStatus | null> {
  const rows = await queryRows<{ status: RunStatus }>(
    tx,
    sql`UPDATE runs SET
          status = CASE WHEN status IN ('queued', 'waiting') THEN 'cancelled' ELSE status END,
          finished_at = CASE WHEN status IN ('queued', 'waiting') THEN now() ELSE finished_at END,
          error = CASE WHEN status = 'queued' THEN '{"message":"The run was cancelled before it started"}'::jsonb
                       WHEN status = 'waiting' THEN '{"message":"The run was cancelled while it waited"}'::jsonb ELSE error END,
          wait_node_id = NULL,
          cancel_requested_at = coalesce(cancel_requested_at, now())
        WHERE id = ${id} AND workspace_id = ${workspaceId} AND status IN ('queued', 'running', 'waiting')
        RETURNING status`,
  );
  if (rows[0]) await tx.execute(sql`SELECT pg_notify(${RUN_CANCEL_CHANNEL}, ${id})`);
  return rows[0]?.status ?? null;
}

/** Replay: the new run starts with these nodes' results as if it had run them already. */
export async function copyFinishedSteps(tx: Tx, fromRunId: string, toRunId: string, nodeIds: string[]): Promise<void> {
  if (nodeIds.length === 0) return;
  // Finished steps only: a step still waiting (in a run cancelled while it waited) has no callback
  // or timer in the new run, which would wait at it forever; it runs again instead.
  await tx.execute(
    sql`INSERT INTO run_steps (run_id, node_id, status, port, output, output_truncated, error, attempts, started_at, finished_at, wait)
        SELECT ${toRunId}::uuid, node_id, status, port, output, coalesce(output_truncated, false), error, attempts, started_at, finished_at, wait
        FROM (SELECT node_id, status, port, output, output_truncated, error, attempts, started_at, finished_at, wait FROM run_steps WHERE run_id = ${fromRunId}
              UNION ALL
              SELECT s.node_id, s.status, s.port, ${INLINE_STEP_OUTPUT}, s.output_truncated, s.error, s.attempts, s.started_at, s.finished_at, NULL::jsonb
              FROM runs r, json_to_recordset(r.steps) AS s(${INLINE_STEP_COLUMNS}) WHERE r.id = ${fromRunId}) AS source
        WHERE status IN ('succeeded', 'skipped') AND node_id IN (${sql.join(
          nodeIds.map((nodeId) => sql`${nodeId}`),
          sql`, `,
        )})`,
  );
}

export const DEFAULT_RETENTION = { maxAgeDays: 30, maxRuns: 10_000 } as const;

export async function findRetentionPolicy(executor: DbExecutor, workspaceId: string): Promise<{ maxAgeDays: number; maxRuns: number }> {
  const rows = await executor.select().from(runRetentionPolicies).where(eq(runRetentionPolicies.workspaceId, workspaceId));
  return rows[0] ? { maxAgeDays: rows[0].maxAgeDays, maxRuns: rows[0].maxRuns } : { ...DEFAULT_RETENTION };
}

export async function upsertRetentionPolicy(executor: DbExecutor, workspaceId: string, policy: { maxAgeDays: number; maxRuns: number }): Promise<void> {
  await executor
    .insert(runRetentionPolicies)
    .values({ workspaceId, ...policy })
    .onConflictDoUpdate({ target: runRetentionPolicies.workspaceId, set: policy });
}

const FINISHED = sql`('succeeded', 'failed', 'cancelled', 'timed_out')`;

/**
 * Deletes up to `batch` finished runs (their steps go by cascade) older than
 * their workspace's max age. Queued and running runs are never purged.
 */
export async function deleteRunsPastMaxAge(executor: DbExecutor, now: Date, batch: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`DELETE FROM runs WHERE id IN (
          SELECT r.id FROM runs r LEFT JOIN run_retention_policies p ON p.workspace_id = r.workspace_id
          WHERE r.status IN ${FINISHED}
            AND r.created_at < ${now.toISOString()}::timestamptz - make_interval(days => coalesce(p.max_age_days, ${DEFAULT_RETENTION.maxAgeDays}))
          LIMIT ${batch})
        RETURNING id`,
  );
  return rows.length;
}

/** Deletes up to `batch` finished runs beyond each workspace's newest `max_runs`, oldest first. */
export async function deleteRunsPastMaxCount(executor: DbExecutor, batch: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    executor,
    sql`DELETE FROM runs WHERE id IN (
          SELECT id FROM (
            SELECT r.id, r.status, r.created_at,
                   row_number() OVER (PARTITION BY r.workspace_id ORDER BY r.created_at DESC, r.id DESC) AS rank,
                   coalesce(p.max_runs, ${DEFAULT_RETENTION.maxRuns}) AS keep
            FROM runs r LEFT JOIN run_retention_policies p ON p.workspace_id = r.workspace_id
          ) ranked
          WHERE rank > keep AND status IN ${FINISHED}
          ORDER BY created_at
          LIMIT ${batch})
        RETURNING id`,
  );
  return rows.length;
}
