import { and, eq, sql, type SQL } from 'drizzle-orm';
import { jsonbParam, queryRows, type Database, type DbExecutor, type PreparedStatement, type Tx } from '@weft/db';
import type { ResumeInput, StepRecord } from '@weft/engine';
import { RUN_PROGRESS_CHANNEL, RUNS_CHANNEL } from './runs.events';
import { runs } from './runs.tables';

export type NewRunRow = typeof runs.$inferInsert;

/** A run a runner holds the lease of, with what executing it needs. */
export interface ClaimedRun {
  id: string;
  workspaceId: string;
  workflowId: string;
  /** Null for a draft run, which carries its graph in `draftGraph`. */
  versionId: string | null;
  draftGraph: unknown;
  triggerKind: string;
  input: unknown;
  attempt: number;
  timeoutMs: number;
  startedAt: Date;
  concurrencyLimit: number | null;
  isCancelRequested: boolean;
  /** Set when the run waited and is resumed: by its callback, or by time. */
  resumeInput: ResumeInput | null;
}

/** Namespace of the per-workflow advisory locks (first key of the two-key form). */
const CONCURRENCY_LOCK_SPACE = 730_194;

function idList(ids: readonly string[]): SQL {
  return sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

function seconds(ms: number): number {
  return ms / 1000;
}

/**
 * Inserts a queued run and wakes the runners on commit. With an idempotency
 * key already used for this workflow, nothing is inserted and the existing
 * run is returned: the unique index decides, even between racing callers.
 */
export async function insertQueuedRun(tx: Tx, row: NewRunRow): Promise<{ id: string; isCreated: boolean }> {
  const inserted = await tx
    .insert(runs)
    .values(row)
    .onConflictDoNothing({ target: [runs.workflowId, runs.idempotencyKey], where: sql`${runs.idempotencyKey} IS NOT NULL` })
    .returning({ id: runs.id });
  if (inserted[0]) {
    await tx.execute(sql`SELECT pg_notify(${RUNS_CHANNEL}, '')`);
    return { id: inserted[0].id, isCreated: true };
  }
  const existing = await tx
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.workflowId, row.workflowId), eq(runs.idempotencyKey, row.idempotencyKey!)));
  return { id: existing[0]!.id, isCreated: false };
}

/** Serialises claims of one workflow's runs across every process until the transaction ends. */
async function lockWorkflowSlots(tx: Tx, workflowId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CONCURRENCY_LOCK_SPACE}, hashtext(${workflowId}))`);
}

async function countRunningRuns(tx: Tx, workflowId: string): Promise<number> {
  const rows = await queryRows<{ running: number }>(
    tx,
    sql`SELECT count(*)::int AS running FROM runs
        WHERE workflow_id = ${workflowId} AND status = 'running' AND lease_expires_at >= now()`,
  );
  return rows[0]?.running ?? 0;
}

interface Candidate {
  id: string;
  workflow_id: string;
  concurrency_limit: number | null;
}

/**
 * The due runs, oldest first, locked (SKIP LOCKED), skipping workflows at
 * their concurrency limit. Each of the three kinds is read from its own
 * partial index in its own order, so the scan stops after `limit` live
 * rows. One OR over the statuses made PostgreSQL read a bitmap of every
 * entry those indexes hold, dead row versions included: on PGlite, which has
 * no autovacuum between maintenance passes, a claim took 10–45 ms after
 * 9,000 runs instead of 0.2 ms. An index scan also marks the dead entries it
 * meets, so the next claim skips them.
 */
function dueCandidates(limit: number): SQL {
  // Inside each branch, before its LIMIT: a workflow at its limit must not hide the runs queued behind its own.
  const hasFreeSlot = sql`(concurrency_limit IS NULL OR concurrency_limit > (
    SELECT count(*) FROM runs r WHERE r.workflow_id = runs.workflow_id AND r.status = 'running' AND r.lease_expires_at >= now()))`;
  const lockDue = (condition: SQL, order: SQL) =>
    sql`SELECT id, workflow_id, concurrency_limit, available_at FROM runs WHERE ${condition} AND ${hasFreeSlot}
        ORDER BY ${order} LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  return sql`SELECT id, workflow_id, concurrency_limit FROM (
      SELECT * FROM (${lockDue(sql`status = 'queued' AND available_at <= now()`, sql`available_at, id`)}) due
      UNION ALL SELECT * FROM (${lockDue(sql`status = 'waiting' AND available_at <= now()`, sql`available_at, id`)}) resumable
      UNION ALL SELECT * FROM (${lockDue(sql`status = 'running' AND lease_expires_at < now()`, sql`lease_expires_at`)}) orphaned
    ) c
    ORDER BY available_at, id
    LIMIT ${limit}`;
}

/**
 * Claims up to `limit` runs for `owner`: queued ones that are due, and
 * running ones whose lease expired (their worker died). SKIP LOCKED lets
 * runners claim side by side. A workflow with a concurrency limit is counted
 * under its advisory lock, taken in workflow-id order so two runners never
 * wait on each other in a cycle, which makes the limit exact across workers.
 */
export async function claimRuns(tx: Tx, owner: string, leaseMs: number, limit: number): Promise<ClaimedRun[]> {
  const candidates = await queryRows<Candidate>(tx, dueCandidates(limit));
  if (candidates.length === 0) return [];
  const chosen = candidates.filter((candidate) => candidate.concurrency_limit === null).map((candidate) => candidate.id);
  const limited = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    if (candidate.concurrency_limit === null) continue;
    limited.set(candidate.workflow_id, [...(limited.get(candidate.workflow_id) ?? []), candidate]);
  }
  for (const workflowId of [...limited.keys()].sort()) {
    await lockWorkflowSlots(tx, workflowId);
    const queued = limited.get(workflowId)!;
    const free = queued[0]!.concurrency_limit! - (await countRunningRuns(tx, workflowId));
    chosen.push(...queued.slice(0, Math.max(0, free)).map((candidate) => candidate.id));
  }
  if (chosen.length === 0) return [];
  const claimed = await queryRows<Record<string, unknown>>(
    tx,
    sql`UPDATE runs SET status = 'running', lease_owner = ${owner},
          lease_expires_at = now() + make_interval(secs => ${seconds(leaseMs)}),
          started_at = coalesce(started_at, now()), attempt = attempt + 1,
          resume_input = CASE WHEN status = 'waiting' THEN jsonb_build_object('nodeId', wait_node_id, 'cause', 'time') ELSE resume_input END,
          wait_node_id = NULL
        WHERE id IN ${idList(chosen)}
        RETURNING id, workspace_id, workflow_id, version_id, draft_graph, trigger_kind, input, attempt, timeout_ms, started_at,
                  concurrency_limit, cancel_requested_at, resume_input`,
  );
  return claimed.map(toClaimedRun);
}

/**
 * Inserts a run that starts in this process right away (a sync webhook of a
 * workflow with a concurrency limit), under the same lock and count as a
 * claim. Returns false when the workflow is at its limit.
 */
export async function admitRunningRun(tx: Tx, row: NewRunRow, owner: string, leaseMs: number): Promise<ClaimedRun | null> {
  await lockWorkflowSlots(tx, row.workflowId);
  if (row.concurrencyLimit != null && (await countRunningRuns(tx, row.workflowId)) >= row.concurrencyLimit) return null;
  await tx.insert(runs).values({ ...row, status: 'running', attempt: 1, leaseOwner: owner });
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`UPDATE runs SET lease_expires_at = now() + make_interval(secs => ${seconds(leaseMs)}), started_at = now()
        WHERE id = ${row.id}
        RETURNING id, workspace_id, workflow_id, version_id, draft_graph, trigger_kind, input, attempt, timeout_ms, started_at,
                  concurrency_limit, cancel_requested_at`,
  );
  return toClaimedRun(rows[0]!);
}

function toClaimedRun(row: Record<string, unknown>): ClaimedRun {
  return {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    workflowId: row.workflow_id as string,
    versionId: (row.version_id as string | null) ?? null,
    draftGraph: parseJson(row.draft_graph ?? null),
    triggerKind: row.trigger_kind as string,
    input: parseJson(row.input),
    attempt: row.attempt as number,
    timeoutMs: row.timeout_ms as number,
    startedAt: new Date(row.started_at as string | Date),
    concurrencyLimit: (row.concurrency_limit as number | null) ?? null,
    isCancelRequested: row.cancel_requested_at != null,
    resumeInput: (parseJson(row.resume_input ?? null) as ResumeInput | null) ?? null,
  };
}

/** node-postgres and PGlite both parse jsonb, but a raw string may still come back from some paths. */
export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

export interface LeaseState {
  runId: string;
  isCancelRequested: boolean;
}

/** Renews the leases `owner` still holds; a run missing from the result was lost (its lease expired and was taken). */
export async function renewLeases(executor: DbExecutor, owner: string, runIds: readonly string[], leaseMs: number): Promise<LeaseState[]> {
  if (runIds.length === 0) return [];
  const rows = await queryRows<{ id: string; cancel_requested_at: unknown }>(
    executor,
    sql`UPDATE runs SET lease_expires_at = now() + make_interval(secs => ${seconds(leaseMs)})
        WHERE id IN ${idList(runIds)} AND lease_owner = ${owner} AND status = 'running'
        RETURNING id, cancel_requested_at`,
  );
  return rows.map((row) => ({ runId: row.id, isCancelRequested: row.cancel_requested_at != null }));
}

export interface CheckpointItem {
  runId: string;
  step: StepRecord;
}

/**
 * The checkpoint of several runs in one statement: it writes the step only
 * where `owner` still holds the run (a fence against a worker that lost its
 * lease), and tells whether a cancel was requested. The fence locks the run
 * rows instead of renewing their leases (the heartbeat does that): an update
 * would write a new version of each run row and of its seven index entries
 * at every step, which was a third of a checkpoint's cost. The lock still
 * makes a claimer that takes the run over wait for this statement, and this
 * statement see the new owner if the claimer went first.
 */
export async function saveCheckpoints(database: Database, owner: string, items: readonly CheckpointItem[]): Promise<LeaseState[]> {
  const steps = jsonbParam(items.map(({ runId, step }) => toStepJson(runId, step)));
  const { rows } = await database.runPrepared(SAVE_CHECKPOINTS, [owner, steps]);
  return rows.map((row) => ({ runId: String(row.id), isCancelRequested: row.cancel_requested_at != null }));
}

/**
 * Upserts the step rows in `$2` (JSON from `toStepJson`) of the runs that
 * the CTE `heldRuns` returned: checkpoints are written only for runs this
 * worker still holds, in the same statement that proves it.
 */
function upsertStepsOf(heldRuns: string): string {
  return `INSERT INTO run_steps (run_id, node_id, status, port, output, output_truncated, error, attempts, started_at, finished_at, wait)
          SELECT s.run_id, s.node_id, s.status, s.port, s.output, s.output_truncated, s.error, s.attempts, s.started_at, s.finished_at, s.wait
          FROM jsonb_to_recordset($2::jsonb) AS s(run_id uuid, node_id text, status text, port text, output jsonb,
               output_truncated boolean, error jsonb, attempts int, started_at timestamptz, finished_at timestamptz, wait jsonb)
          JOIN ${heldRuns} ON ${heldRuns}.id = s.run_id
          ON CONFLICT (run_id, node_id) DO UPDATE SET status = EXCLUDED.status, port = EXCLUDED.port, output = EXCLUDED.output,
            output_truncated = EXCLUDED.output_truncated, error = EXCLUDED.error, attempts = EXCLUDED.attempts, wait = EXCLUDED.wait,
            started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at
          RETURNING run_id`;
}

// Prepared (parsed and planned once per connection): a run's every step and its end go through
// these, and on PGlite parsing and planning them each time was most of their cost.
// $1 the owner, $2 the steps.
const SAVE_CHECKPOINTS: PreparedStatement = {
  name: 'weft_save_checkpoints',
  text: `WITH lease AS (
          SELECT id, cancel_requested_at, is_watched FROM runs
          WHERE lease_owner = $1 AND status = 'running'
            AND id IN (SELECT (s->>'run_id')::uuid FROM jsonb_array_elements($2::jsonb) s)
          FOR NO KEY UPDATE
        ), saved AS (
          ${upsertStepsOf('lease')}
        ), announced AS (
          -- What the trigger runs_notify_watchers does on an update of a watched run, which this is not.
          SELECT pg_notify('${RUN_PROGRESS_CHANNEL}', id::text) FROM lease WHERE is_watched
        )
        -- A CTE without data changes runs only when referenced: the count makes the NOTIFYs happen.
        SELECT id, cancel_requested_at, (SELECT count(*) FROM announced) AS announced FROM lease`,
};

/** The JSON row shape `jsonb_to_recordset` reads for run_steps. */
export function toStepJson(runId: string, step: StepRecord): Record<string, unknown> {
  return {
    run_id: runId,
    node_id: step.nodeId,
    status: step.status,
    port: step.port ?? null,
    output: step.output === undefined ? null : step.output,
    output_truncated: step.outputTruncated ?? false,
    error: step.error ?? null,
    attempts: step.attempts,
    started_at: step.startedAt.toISOString(),
    finished_at: step.finishedAt.toISOString(),
    wait: step.wait ?? null,
  };
}

export interface RunEnding {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
  response?: unknown;
  error?: unknown;
  /** Checkpoints written with the ending (the step the run ended on). */
  steps?: readonly StepRecord[];
}

/**
 * Records how runs ended and releases their leases, only where `owner`
 * still holds them, in one statement. Wakes the runners when a run of a
 * limited workflow ends, since its slot is free again.
 */
export async function finishRuns(database: Database, owner: string, endings: readonly RunEnding[]): Promise<string[]> {
  const payload = jsonbParam(
    endings.map((ending) => ({ id: ending.runId, status: ending.status, response: ending.response ?? null, error: ending.error ?? null })),
  );
  const steps = jsonbParam(endings.flatMap((ending) => (ending.steps ?? []).map((step) => toStepJson(ending.runId, step))));
  const { rows } = await database.runPrepared(FINISH_RUNS, [owner, steps, payload]);
  return rows.map((row) => String(row.id));
}

// $1 the owner, $2 the steps, $3 the endings.
const FINISH_RUNS: PreparedStatement = {
  name: 'weft_finish_runs',
  text: `WITH done AS (
          UPDATE runs r SET status = f.status, response = f.response, error = f.error, finished_at = now(),
            lease_owner = NULL, lease_expires_at = NULL
          FROM jsonb_to_recordset($3::jsonb) AS f(id uuid, status text, response jsonb, error jsonb)
          WHERE r.id = f.id AND r.lease_owner = $1 AND r.status = 'running'
          RETURNING r.id, r.concurrency_limit
        ), saved AS (
          ${upsertStepsOf('done')}
        ), wake AS (
          SELECT pg_notify('${RUNS_CHANNEL}', '') FROM done WHERE concurrency_limit IS NOT NULL LIMIT 1
        )
        SELECT id, (SELECT count(*) FROM wake) AS woken FROM done`,
};

/** On a clean shutdown: leases end now so another runner resumes the runs without waiting for expiry. */
export async function releaseLeases(executor: DbExecutor, owner: string, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await executor.execute(
    sql`UPDATE runs SET lease_expires_at = now() - interval '1 millisecond'
        WHERE id IN ${idList(runIds)} AND lease_owner = ${owner} AND status = 'running'`,
  );
  await executor.execute(sql`SELECT pg_notify(${RUNS_CHANNEL}, '')`);
}
