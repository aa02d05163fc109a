import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { RUN_STATUSES, TRIGGER_KINDS } from '@weft/contracts';
import { defineTableInventory, systemColumn, type ColumnInventory } from '@weft/kernel';

export { RUN_STATUSES, TRIGGER_KINDS, type RunStatus, type TriggerKind } from '@weft/contracts';

/**
 * One execution of a published workflow version, or of a workflow's saved
 * draft (a draft run, started from the editor: no version). The table is also the
 * queue: runners claim `queued` rows (and `running` rows whose lease expired,
 * i.e. whose worker died) with FOR UPDATE SKIP LOCKED and hold a lease that
 * they renew while the run goes on.
 * Workflows and workspaces belong to other modules: no foreign keys to them.
 */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    /** Null for a draft run. */
    versionId: uuid('version_id'),
    versionNumber: integer('version_number'),
    /** A draft run: the saved draft it executes, copied when it started (the draft may change meanwhile). */
    draftGraph: jsonb('draft_graph'),
    /**
     * Someone follows the run live: every change of its row sends a NOTIFY on
     * `weft_run_progress` (trigger `runs_notify_watchers`, migration 0011).
     * Off by default so unwatched runs (webhooks, schedules) pay nothing.
     */
    isWatched: boolean('is_watched').notNull().default(false),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    triggerKind: text('trigger_kind', { enum: TRIGGER_KINDS }).notNull(),
    idempotencyKey: text('idempotency_key'),
    /** The run this one retries or replays. */
    sourceRunId: uuid('source_run_id'),
    input: jsonb('input'),
    response: jsonb('response'),
    error: jsonb('error'),
    attempt: integer('attempt').notNull().default(0),
    concurrencyLimit: integer('concurrency_limit'),
    timeoutMs: integer('timeout_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    /** While `waiting`: the node the run waits at; `available_at` is when it resumes by time. */
    waitNodeId: text('wait_node_id'),
    /** Set when a waiting run is queued again: how the executor completes the waiting step. */
    resumeInput: jsonb('resume_input'),
    /**
     * The steps of a run written once it had already ended (a webhook run answered
     * in its request), as a JSON array in `run_steps`' shape without `run_id`: one row
     * per run instead of one per step on the hottest write path. Null when the
     * steps are rows of `run_steps`; a run never has both. `json`, not `jsonb`: it is
     * written once and read whole (`json_to_recordset`), and json only checks its
     * text where jsonb builds a tree: an eighth of the database time of a stored
     * webhook run on PGlite.
     */
    steps: json('steps'),
  },
  (t) => [
    // Only runs started with a key are deduplicated; partial, so the many runs without one (every
    // webhook run) cost no entry. Inserts naming it in ON CONFLICT repeat the predicate.
    uniqueIndex('runs_idempotency_idx').on(t.workflowId, t.idempotencyKey).where(sql`${t.idempotencyKey} IS NOT NULL`),
    index('runs_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    // The runner counts a workflow's running runs (concurrency limit): only unfinished runs need an entry.
    index('runs_workflow_status_idx').on(t.workflowId, t.status).where(sql`${t.status} IN ('queued', 'running', 'waiting')`),
    index('runs_due_idx').on(t.availableAt).where(sql`${t.status} = 'queued'`),
    index('runs_leased_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
    index('runs_waiting_idx').on(t.availableAt).where(sql`${t.status} = 'waiting'`),
    check('runs_status_valid', sql`${t.status} IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out')`),
    check('runs_version_or_draft', sql`(${t.versionId} IS NOT NULL AND ${t.versionNumber} IS NOT NULL) OR ${t.draftGraph} IS NOT NULL`),
  ],
);

/** The checkpoints: one row per finished node of a run, written before the next node starts. */
export const runSteps = pgTable(
  'run_steps',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    status: text('status', { enum: ['succeeded', 'failed', 'skipped', 'waiting'] }).notNull(),
    /** On a waiting step: what it waits for (resume time, whether a callback token was issued). */
    wait: jsonb('wait'),
    port: text('port'),
    output: jsonb('output'),
    outputTruncated: boolean('output_truncated').notNull().default(false),
    error: jsonb('error'),
    attempts: integer('attempts').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.nodeId] })],
);

/**
 * Callback URLs of runs waiting for a webhook (`wait.webhook`). Only the
 * SHA-256 of the token is kept: the URL is the secret, shown in the step's
 * context once. Single use: the row goes when the callback resumes the run.
 */
export const runCallbacks = pgTable(
  'run_callbacks',
  {
    tokenHash: text('token_hash').primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    workspaceId: uuid('workspace_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('run_callbacks_run_idx').on(t.runId)],
);

/** Per workspace; a workspace without a row gets the defaults. */
export const runRetentionPolicies = pgTable(
  'run_retention_policies',
  {
    workspaceId: uuid('workspace_id').primaryKey(),
    maxAgeDays: integer('max_age_days').notNull().default(30),
    maxRuns: integer('max_runs').notNull().default(10_000),
  },
  (t) => [check('run_retention_positive', sql`${t.maxAgeDays} > 0 AND ${t.maxRuns} > 0`)],
);

/** Payloads are whatever callers of a workspace's webhooks send: their end users' data. */
const payloadColumn = (purpose: string): ColumnInventory => ({
  category: 'third_party.content',
  purpose,
  subject: 'end_user',
  retention: "the workspace's run retention (default 30 days, at most 10,000 runs)",
  erase: 'delete',
});

export const runsInventory = defineTableInventory({
  table: 'runs',
  module: 'runs',
  description: 'Executions of workflows: status, timings, input and result (the execution log)',
  columns: {
    id: systemColumn('run id', 'system.identifier'),
    workspace_id: systemColumn('workspace that owns the run', 'system.identifier'),
    workflow_id: systemColumn('workflow run', 'system.identifier'),
    version_id: systemColumn('published version run (none for a draft run)', 'system.identifier'),
    version_number: systemColumn('published version number'),
    draft_graph: {
      category: 'user.content',
      purpose: 'the draft a draft run executes, as it was when the run started (written by workspace members)',
      subject: 'workspace_member',
      retention: "the workspace's run retention (default 30 days, at most 10,000 runs)",
      erase: 'not-personal',
    },
    is_watched: systemColumn('whether someone follows the run live (its changes are notified)'),
    status: systemColumn('queued, running, waiting, succeeded, failed, cancelled or timed_out'),
    trigger_kind: systemColumn('what started the run'),
    idempotency_key: systemColumn('caller-chosen key that makes a repeated start return the same run'),
    source_run_id: systemColumn('run retried or replayed', 'system.identifier'),
    input: payloadColumn('what the trigger received (webhook body, query, headers; manual input)'),
    response: payloadColumn('what the run replied'),
    error: payloadColumn('why the run failed: node id, message, stack'),
    attempt: systemColumn('how many times a runner claimed the run'),
    concurrency_limit: systemColumn('limit of the workflow when the run was queued'),
    timeout_ms: systemColumn('longest the run may take'),
    created_at: systemColumn('when the run was created'),
    available_at: systemColumn('earliest start'),
    started_at: systemColumn('first start'),
    finished_at: systemColumn('end'),
    cancel_requested_at: systemColumn('when someone asked to cancel it'),
    lease_owner: systemColumn('worker executing the run'),
    lease_expires_at: systemColumn('when another worker may take the run over'),
    wait_node_id: systemColumn('node a waiting run waits at'),
    resume_input: payloadColumn('the callback body (or timer) that resumes a waiting run'),
    steps: payloadColumn("the steps of a run recorded after it ended: each node's output, error and timings"),
  },
});

export const runStepsInventory = defineTableInventory({
  table: 'run_steps',
  module: 'runs',
  description: 'Per-node results of runs (checkpoints), outputs capped at 1 MB',
  columns: {
    run_id: systemColumn('run', 'system.identifier'),
    node_id: systemColumn('node of the graph'),
    status: systemColumn('succeeded, failed, skipped or waiting'),
    wait: systemColumn('what a waiting step waits for: resume time, whether a callback was issued'),
    port: systemColumn('output port that fired'),
    output: payloadColumn("the node's output, needed to resume the run and to inspect it"),
    output_truncated: systemColumn('whether the stored output was cut at the cap'),
    error: payloadColumn('why the node failed: message, stack, code'),
    attempts: systemColumn('tries under the retry policy'),
    started_at: systemColumn('start of the step'),
    finished_at: systemColumn('end of the step'),
  },
});

export const runRetentionPoliciesInventory = defineTableInventory({
  table: 'run_retention_policies',
  module: 'runs',
  description: 'How long each workspace keeps its runs',
  columns: {
    workspace_id: systemColumn('workspace', 'system.identifier'),
    max_age_days: systemColumn('runs older than this are purged'),
    max_runs: systemColumn('only this many newest runs are kept'),
  },
});

export const runCallbacksInventory = defineTableInventory({
  table: 'run_callbacks',
  module: 'runs',
  description: 'Single-use callback tokens (hashed) of runs waiting for a webhook',
  columns: {
    token_hash: systemColumn('SHA-256 of the callback token (the URL is the secret)'),
    run_id: systemColumn('waiting run', 'system.identifier'),
    node_id: systemColumn('node that waits'),
    workspace_id: systemColumn('workspace of the run', 'system.identifier'),
    created_at: systemColumn('when the wait began'),
    expires_at: systemColumn('when the callback stops being accepted'),
  },
});

export const runsInventories = [runsInventory, runStepsInventory, runRetentionPoliciesInventory, runCallbacksInventory];
