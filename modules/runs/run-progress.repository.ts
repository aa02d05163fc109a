import { sql } from 'drizzle-orm';
import { queryRows, type DbExecutor } from '@weft/db';
import { INLINE_STEP_COLUMNS } from './inline-steps';
import { parseJson } from './run-queue.repository';
import type { RunStatus } from './runs.tables';

/** What a run's event stream needs to know once, when it opens. */
export interface WatchableRun {
  id: string;
  workflowId: string;
  versionId: string | null;
  draftGraph: unknown;
}

/** A run's status and each stored step's status: what its event stream compares, never outputs. */
export interface RunProgressRow {
  id: string;
  workflowId: string;
  status: RunStatus;
  isDraft: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  steps: { nodeId: string; status: 'succeeded' | 'failed' | 'skipped' | 'waiting'; startedAt: string; finishedAt: string }[];
}

/** Scoped by workspace: another workspace's run is not found. */
export async function findWatchableRun(executor: DbExecutor, workspaceId: string, runId: string): Promise<WatchableRun | null> {
  const rows = await queryRows<{ id: string; workflow_id: string; version_id: string | null; draft_graph: unknown }>(
    executor,
    sql`SELECT id, workflow_id, version_id, draft_graph FROM runs WHERE id = ${runId} AND workspace_id = ${workspaceId}`,
  );
  const row = rows[0];
  return row ? { id: row.id, workflowId: row.workflow_id, versionId: row.version_id, draftGraph: parseJson(row.draft_graph) } : null;
}

/**
 * Turns on the change notifications of a run that has not ended (see the
 * trigger `runs_notify_watchers`). Never turned off: the run ends anyway,
 * and a few extra NOTIFYs for a run nobody follows any more cost little.
 */
export async function markRunWatched(executor: DbExecutor, workspaceId: string, runId: string): Promise<void> {
  await executor.execute(
    sql`UPDATE runs SET is_watched = true
        WHERE id = ${runId} AND workspace_id = ${workspaceId} AND NOT is_watched AND status IN ('queued', 'running', 'waiting')`,
  );
}

function toIso(value: unknown): string | null {
  return value === null || value === undefined ? null : new Date(value as string).toISOString();
}

/** One statement: the run's status and its steps' statuses, in the order they started. */
export async function readRunProgress(executor: DbExecutor, workspaceId: string, runId: string): Promise<RunProgressRow | null> {
  const rows = await queryRows<{ id: string; workflow_id: string; status: RunStatus; is_draft: boolean; started_at: unknown; finished_at: unknown; steps: unknown }>(
    executor,
    sql`SELECT r.id, r.workflow_id, r.status, r.version_id IS NULL AS is_draft, r.started_at, r.finished_at,
               coalesce((SELECT json_agg(json_build_object('nodeId', s.node_id, 'status', s.status, 'startedAt', s.started_at, 'finishedAt', s.finished_at)
                                 ORDER BY s.started_at, s.finished_at)
                         FROM (SELECT node_id, status, started_at, finished_at FROM run_steps WHERE run_id = r.id
                               UNION ALL
                               SELECT node_id, status, started_at, finished_at FROM json_to_recordset(r.steps) AS x(${INLINE_STEP_COLUMNS})) s), '[]'::json) AS steps
        FROM runs r WHERE r.id = ${runId} AND r.workspace_id = ${workspaceId}`,
  );
  const row = rows[0];
  if (!row) return null;
  const steps = parseJson(row.steps) as { nodeId: string; status: RunProgressRow['steps'][number]['status']; startedAt: string; finishedAt: string }[];
  return {
    id: row.id,
    workflowId: row.workflow_id,
    status: row.status,
    isDraft: row.is_draft,
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    steps: steps.map((step) => ({ ...step, startedAt: toIso(step.startedAt)!, finishedAt: toIso(step.finishedAt)! })),
  };
}

/** The newest runs of a workspace, for the workspace's run feed to compare. */
export async function listRecentRunStates(executor: DbExecutor, workspaceId: string, limit: number) {
  const rows = await queryRows<{ id: string; workflow_id: string; status: RunStatus; is_draft: boolean }>(
    executor,
    sql`SELECT id, workflow_id, status, version_id IS NULL AS is_draft FROM runs
        WHERE workspace_id = ${workspaceId} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
  );
  return rows.map((row) => ({ runId: row.id, workflowId: row.workflow_id, status: row.status, isDraft: row.is_draft }));
}
