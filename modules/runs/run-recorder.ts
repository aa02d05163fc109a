import { binaryArrayParam, jsonbParam, toJsonbText, type Database, type PreparedStatement } from '@weft/db';
import type { StepRecord } from '@weft/engine';
import { createBatchWriter } from './batch-writer';
import { toInlineStepJson } from './inline-steps';
import { toStepJson } from './run-queue.repository';
import { RUNS_CHANNEL } from './runs.events';
import type { RunStatus, TriggerKind } from './runs.tables';

/** A run written in one go: a webhook run that already ended, or an async one to queue. */
export interface RunRecord {
  id: string;
  workspaceId: string;
  workflowId: string;
  versionId: string;
  versionNumber: number;
  status: RunStatus;
  triggerKind: TriggerKind;
  input: unknown;
  response?: unknown;
  error?: unknown;
  concurrencyLimit: number | null;
  timeoutMs: number;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  steps: StepRecord[];
  /** A run inserted already claimed (status running) by this runner, for this long (see Runner.reserveSlot). */
  lease?: { owner: string; ms: number };
}

export interface RunRecorderOptions {
  database: Database;
  /** Longest a record waits for others to share its transaction (default 5 ms). */
  maxDelayMs?: number;
  /** Most records per transaction (default 200). */
  maxBatch?: number;
}

/**
 * Group commit for the webhook hot path: records arriving within a few
 * milliseconds are written in one transaction with one multi-row INSERT per
 * table. `record` resolves after the commit, so a caller that replies only
 * then never acknowledges a run that is not stored.
 */
export function createRunRecorder(options: RunRecorderOptions) {
  const { database } = options;
  const writer = createBatchWriter<PendingRecord, void>({
    maxDelayMs: options.maxDelayMs ?? 5,
    maxItems: options.maxBatch ?? 200,
    // Two at a time: more made smaller batches and more commits (WAL flushes) for the same runs (durable-async bench, PostgreSQL).
    maxConcurrentWrites: database.kind === 'pglite' ? 1 : 2,
    // A sync webhook saving every run waits for this write before it replies.
    flushWhenIdle: true,
    async write(pending) {
      try {
        await insertRunRecords(database, pending);
        return pending.map(() => undefined);
      } catch {
        // One bad record must not take its batch down: write them one by one, failing only the bad ones.
        const results: (void | Error)[] = [];
        for (const record of pending) {
          try {
            await insertRunRecords(database, [record]);
            results.push(undefined);
          } catch (error) {
            results.push(error instanceof Error ? error : new Error(String(error)));
          }
        }
        return results;
      }
    },
  });
  return {
    // async: a value JSON cannot hold rejects the caller's promise, as a failed write does.
    record: async (record: RunRecord): Promise<void> => writer.submit({ record, documents: hasEnded(record) ? serializeDocuments(record) : undefined }),
    drain: (): Promise<void> => writer.drain(),
  };
}

export type RunRecorder = ReturnType<typeof createRunRecorder>;

/** Ended before it was written (a webhook run answered in its request): its steps go inline (see inline-steps.ts). */
function hasEnded(record: RunRecord): boolean {
  return record.status !== 'queued' && record.status !== 'running' && record.status !== 'waiting';
}

/** A record waiting for its batch; an ended run's JSON documents are serialised already. */
interface PendingRecord {
  record: RunRecord;
  documents: EndedRunDocuments | undefined;
}

/** JSON texts (toJsonbText), or null for SQL NULL: a JSON null is stored as SQL NULL, as in every other write of runs. */
interface EndedRunDocuments {
  input: string | null;
  response: string | null;
  error: string | null;
  steps: string;
}

/**
 * Serialising is most of the main thread's part of a write. Done as each
 * record arrives, it overlaps the write in flight instead of delaying the
 * next one: 0.37 ms of a 2.2 ms write cycle for a 27-run batch.
 */
function serializeDocuments(record: RunRecord): EndedRunDocuments {
  const orNull = (value: unknown) => (value === null || value === undefined ? null : toJsonbText(value));
  return {
    input: orNull(record.input),
    response: orNull(record.response),
    error: orNull(record.error),
    steps: toJsonbText(record.steps.map((step) => toInlineStepJson(step, record))),
  };
}

/**
 * Writes a batch of records. Runs that already ended (webhook runs) have no
 * step rows and start nobody: one prepared INSERT, which the database parses
 * and plans once (on PGlite that was most of a small batch's cost).
 */
async function insertRunRecords(database: Database, pending: readonly PendingRecord[]): Promise<void> {
  if (pending.every((item) => item.documents !== undefined)) {
    await database.runPrepared(INSERT_ENDED_RUNS, endedRunColumns(pending));
    return;
  }
  await insertRunsAndSteps(database, pending.map((item) => item.record));
}

/**
 * Ended runs as one binary array per column (see binaryArrayParam): the
 * database copies ids, numbers and times as they are and parses only the
 * JSON documents. A JSON document of rows cost it twice as much time per run
 * (parse it all, then convert every field): a third of a webhook run's
 * database time on PGlite.
 */
function endedRunColumns(pending: readonly PendingRecord[]): Buffer[] {
  const column = (read: (record: RunRecord) => unknown) => pending.map((item) => read(item.record));
  const documents = (type: 'json' | 'jsonb', read: (documents: EndedRunDocuments) => string | null) =>
    binaryArrayParam(type, pending.map((item) => read(item.documents!)), { isSerialized: true });
  return [
    binaryArrayParam('uuid', column((record) => record.id)),
    binaryArrayParam('uuid', column((record) => record.workspaceId)),
    binaryArrayParam('uuid', column((record) => record.workflowId)),
    binaryArrayParam('uuid', column((record) => record.versionId)),
    binaryArrayParam('int4', column((record) => record.versionNumber)),
    binaryArrayParam('text', column((record) => record.status)),
    binaryArrayParam('text', column((record) => record.triggerKind)),
    documents('jsonb', (json) => json.input),
    documents('jsonb', (json) => json.response),
    documents('jsonb', (json) => json.error),
    binaryArrayParam('int4', column((record) => record.concurrencyLimit)),
    binaryArrayParam('int4', column((record) => record.timeoutMs)),
    binaryArrayParam('timestamptz', column((record) => record.createdAt)),
    binaryArrayParam('timestamptz', column((record) => record.startedAt)),
    binaryArrayParam('timestamptz', column((record) => record.finishedAt)),
    documents('json', (json) => json.steps),
  ];
}

function toRunRow(record: RunRecord) {
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    workflow_id: record.workflowId,
    version_id: record.versionId,
    version_number: record.versionNumber,
    status: record.status,
    trigger_kind: record.triggerKind,
    input: record.input ?? null,
    response: record.response ?? null,
    error: record.error ?? null,
    attempt: record.status === 'queued' ? 0 : 1,
    concurrency_limit: record.concurrencyLimit,
    timeout_ms: record.timeoutMs,
    created_at: record.createdAt.toISOString(),
    started_at: record.startedAt?.toISOString() ?? null,
    finished_at: record.finishedAt?.toISOString() ?? null,
    lease_owner: record.lease?.owner ?? null,
    lease_seconds: record.lease ? record.lease.ms / 1000 : null,
    steps: hasEnded(record) ? record.steps.map((step) => toInlineStepJson(step, record)) : null,
  };
}

const RUN_COLUMNS = `id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, response, error,
  attempt, concurrency_limit, timeout_ms, created_at, available_at, started_at, finished_at, lease_owner, lease_expires_at, steps`;
const RUN_VALUES = `id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, response, error,
  attempt, concurrency_limit, timeout_ms, created_at, created_at, started_at, finished_at,
  -- The database's clock, as claims use: the lease must not expire early on the app's clock.
  lease_owner, now() + make_interval(secs => lease_seconds), steps`;
const RUN_RECORDSET = `AS r(id uuid, workspace_id uuid, workflow_id uuid, version_id uuid, version_number int, status text,
  trigger_kind text, input jsonb, response jsonb, error jsonb, attempt int, concurrency_limit int, timeout_ms int,
  created_at timestamptz, started_at timestamptz, finished_at timestamptz, lease_owner text, lease_seconds double precision, steps json)`;

// ON CONFLICT DO NOTHING: writing a record again (the one-by-one fallback) is harmless.
const INSERT_ENDED_RUNS: PreparedStatement = {
  name: 'weft_insert_ended_runs',
  text: `INSERT INTO runs (id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, response, error,
           attempt, concurrency_limit, timeout_ms, created_at, available_at, started_at, finished_at, steps)
         SELECT id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, response, error,
           1, concurrency_limit, timeout_ms, created_at, created_at, started_at, finished_at, steps
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[],
           $10::jsonb[], $11::int[], $12::int[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::json[])
           AS r(id, workspace_id, workflow_id, version_id, version_number, status, trigger_kind, input, response, error,
             concurrency_limit, timeout_ms, created_at, started_at, finished_at, steps)
         ON CONFLICT (id) DO NOTHING`,
};

/**
 * One statement, so atomic without a transaction: runs, their steps and the
 * runners' wake-up together. BEGIN, COMMIT and a separate NOTIFY were three
 * of a batch's four round trips. The steps' foreign key is checked at the end
 * of the statement, when the runs inserted above are there.
 */
async function insertRunsAndSteps(database: Database, records: readonly RunRecord[]): Promise<void> {
  const runRows = jsonbParam(records.map(toRunRow));
  // A run that goes on (queued, or claimed by this runner) gets rows its checkpoints can add to.
  const stepRows = jsonbParam(records.flatMap((record) => (hasEnded(record) ? [] : record.steps.map((step) => toStepJson(record.id, step)))));
  await database.runPrepared(INSERT_RUNS_AND_STEPS, [runRows, stepRows]);
}

// Prepared like INSERT_ENDED_RUNS: every async webhook run starts here. $1 the runs, $2 their steps.
const INSERT_RUNS_AND_STEPS: PreparedStatement = {
  name: 'weft_insert_runs_and_steps',
  text: `WITH inserted_runs AS (
          INSERT INTO runs (${RUN_COLUMNS})
          SELECT ${RUN_VALUES} FROM jsonb_to_recordset($1::jsonb) ${RUN_RECORDSET}
          ON CONFLICT (id) DO NOTHING
          RETURNING status
        ), inserted_steps AS (
          INSERT INTO run_steps (run_id, node_id, status, port, output, output_truncated, error, attempts, started_at, finished_at)
          SELECT run_id, node_id, status, port, output, output_truncated, error, attempts, started_at, finished_at
          FROM jsonb_to_recordset($2::jsonb) AS s(run_id uuid, node_id text, status text, port text,
               output jsonb, output_truncated boolean, error jsonb, attempts int, started_at timestamptz, finished_at timestamptz)
          ON CONFLICT (run_id, node_id) DO NOTHING
        )
        SELECT pg_notify('${RUNS_CHANNEL}', '') FROM (SELECT 1 FROM inserted_runs WHERE status = 'queued' LIMIT 1) AS queued`,
};
