import { binaryArrayParam, jsonbParam, toJsonbText, type Database, type Journal, type PreparedStatement } from '@weft/db';
import type { Logger } from '@weft/kernel';
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
  /**
   * Embedded database only: runs that already ended are acknowledged once
   * they are in this journal and reach the database right after (see
   * `Journal`). Without it, `record` waits for the commit.
   */
  journal?: Journal;
  /** Most journaled runs waiting for the database; beyond it `record` waits for the commit again (default 2,000). */
  maxJournalBacklog?: number;
  /** Hears a journaled run the database refused (it was acknowledged already). */
  logger?: Logger;
}

/**
 * Group commit for the webhook hot path: records arriving within a few
 * milliseconds are written in one transaction with one multi-row INSERT per
 * table. `record` resolves once the record is durable — committed, or with a
 * journal, appended to it — so a caller that replies only then never
 * acknowledges a run that could be lost.
 *
 * The journal takes the database's write time off the reply (W1 saving every
 * run on PGlite: the reply waited for a 1.1 ms write cycle per batch); the
 * runs module's reads call `settle` first, so a run that was answered is
 * always found.
 */
export function createRunRecorder(options: RunRecorderOptions) {
  const { database, journal } = options;
  const maxBacklog = options.maxJournalBacklog ?? 2_000;
  const writer = createBatchWriter<PendingRecord, void>({
    maxDelayMs: options.maxDelayMs ?? 5,
    maxItems: options.maxBatch ?? 200,
    // Two at a time: more made smaller batches and more commits (WAL flushes) for the same runs (durable-async bench, PostgreSQL).
    maxConcurrentWrites: database.kind === 'pglite' ? 1 : 2,
    // A sync webhook saving every run waits for this write before it replies.
    flushWhenIdle: true,
    write: (pending) => writeRecords(database, pending),
  });
  const toJournal: { pending: PendingRecord; resolve(): void; reject(error: unknown): void }[] = [];
  let journalFlush: NodeJS.Immediate | undefined;
  /** Journaled records on their way to the database. */
  const storing = new Set<Promise<void>>();

  /** Appends what arrived in this event-loop turn (one write), acknowledges it, and hands it to the database writer. */
  function flushJournal(): void {
    if (journalFlush !== undefined) clearImmediate(journalFlush);
    journalFlush = undefined;
    const entries = toJournal.splice(0);
    if (entries.length === 0 || !journal) return;
    let segment: number;
    try {
      segment = journal.append(entries.map((entry) => toJournalEntry(entry.pending)));
    } catch (error) {
      // A journal that cannot be written (disk full): these records wait for their commit instead.
      options.logger?.warn({ err: error }, 'could not append to the run journal; waiting for the database instead');
      for (const entry of entries) writer.submit(entry.pending).then(entry.resolve, entry.reject);
      return;
    }
    for (const entry of entries) {
      entry.resolve();
      const stored: Promise<void> = writer.submit(entry.pending).then(
        () => {
          journal.release(segment, 1);
          storing.delete(stored);
        },
        (error: unknown) => {
          // Acknowledged already: the journal keeps it, and the next start tries again.
          options.logger?.error({ err: error, runId: entry.pending.record.id }, 'could not store a journaled run; kept in the journal for the next start');
          journal.release(segment, 1, false);
          storing.delete(stored);
        },
      );
      storing.add(stored);
    }
  }

  /** Every record acknowledged so far is in the database (or was refused by it). */
  async function settle(): Promise<void> {
    flushJournal();
    if (storing.size > 0) await Promise.all([...storing]);
  }

  return {
    // async: a value JSON cannot hold rejects the caller's promise, as a failed write does.
    record: async (record: RunRecord): Promise<void> => {
      const pending = { record, documents: hasEnded(record) ? serializeDocuments(record) : undefined };
      if (!journal || pending.documents === undefined || journal.unreleased + toJournal.length >= maxBacklog) return writer.submit(pending);
      return new Promise<void>((resolve, reject) => {
        toJournal.push({ pending, resolve, reject });
        journalFlush ??= setImmediate(flushJournal);
      });
    },
    settle,
    /** Stores the runs an earlier process journaled and did not store (a crash); call before taking new ones. */
    async recoverJournal(): Promise<number> {
      if (!journal) return 0;
      const leftovers = journal.readLeftovers().map(fromJournalEntry);
      const batchSize = options.maxBatch ?? 200;
      for (let start = 0; start < leftovers.length; start += batchSize) {
        const batch = leftovers.slice(start, start + batchSize);
        const results = await writeRecords(database, batch);
        results.forEach((result, index) => {
          if (result instanceof Error) options.logger?.error({ err: result, runId: batch[index]!.record.id }, 'the database refused a journaled run');
        });
      }
      journal.discardLeftovers();
      return leftovers.length;
    },
    drain: async (): Promise<void> => {
      await settle();
      await writer.drain();
    },
    /** After `drain`: closes the journal (an empty one is removed). */
    close: (): void => journal?.close(),
  };
}

/** Writes a batch; one bad record must not take its batch down: then they go one by one, failing only the bad ones. */
async function writeRecords(database: Database, pending: readonly PendingRecord[]): Promise<(void | Error)[]> {
  try {
    await insertRunRecords(database, pending);
    return pending.map(() => undefined);
  } catch {
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
}

/**
 * A journaled run: its fields in a fixed order and its documents as the very
 * JSON texts the database will get (no second serialisation on the hot path).
 */
function toJournalEntry({ record, documents }: PendingRecord): string {
  const json = documents!;
  const fields = [
    record.id,
    record.workspaceId,
    record.workflowId,
    record.versionId,
    record.versionNumber,
    record.status,
    record.triggerKind,
    record.concurrencyLimit,
    record.timeoutMs,
    record.createdAt.getTime(),
    record.startedAt?.getTime() ?? null,
    record.finishedAt?.getTime() ?? null,
  ];
  return `{"run":${JSON.stringify(fields)},"input":${json.input ?? 'null'},"response":${json.response ?? 'null'},"error":${json.error ?? 'null'},"steps":${json.steps}}`;
}

function fromJournalEntry(entry: unknown): PendingRecord {
  const { run, input, response, error, steps } = entry as { run: unknown[]; input: unknown; response: unknown; error: unknown; steps: unknown };
  const [id, workspaceId, workflowId, versionId, versionNumber, status, triggerKind, concurrencyLimit, timeoutMs, createdAt, startedAt, finishedAt] = run;
  const dateOrUndefined = (ms: unknown) => (typeof ms === 'number' ? new Date(ms) : undefined);
  const record = {
    id,
    workspaceId,
    workflowId,
    versionId,
    versionNumber,
    status,
    triggerKind,
    input,
    response,
    error,
    concurrencyLimit,
    timeoutMs,
    createdAt: new Date(createdAt as number),
    startedAt: dateOrUndefined(startedAt),
    finishedAt: dateOrUndefined(finishedAt),
    steps: [],
  } as unknown as RunRecord;
  const orNull = (value: unknown) => (value === null ? null : toJsonbText(value));
  return { record, documents: { input: orNull(input), response: orNull(response), error: orNull(error), steps: toJsonbText(steps) } };
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
