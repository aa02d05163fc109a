import { sql } from 'drizzle-orm';
import type { StepRecord } from '@weft/engine';
import { parseJson } from './run-queue.repository';
import type { RunStepRow } from './runs.repository';

/**
 * A run written once it had already ended keeps its steps in `runs.steps`, a
 * JSON array in `run_steps`' shape without `run_id`. Writing one row per run
 * instead of one per step (and no foreign-key check per step) more than halves
 * the database work of a webhook run that saves every run. Null and default
 * fields are left out; `json_to_recordset` reads a missing key as NULL.
 * `output_from` names the run column that holds a step's output instead.
 */
export function toInlineStepJson(step: StepRecord, run: { input: unknown; response?: unknown }): Record<string, unknown> {
  const json: Record<string, unknown> = {
    node_id: step.nodeId,
    status: step.status,
    attempts: step.attempts,
    started_at: step.startedAt.toISOString(),
    finished_at: step.finishedAt.toISOString(),
  };
  if (step.port !== undefined) json.port = step.port;
  // The trigger's output is the run's input, the respond node's its response: the very same
  // objects, so kept once (a webhook body is otherwise stored twice). Identity, not equality:
  // a capped or redacted output is another object and is stored as it is.
  if (step.output === run.input && step.output !== undefined) json.output_from = 'input';
  else if (step.output === run.response && step.output !== undefined) json.output_from = 'response';
  else if (step.output !== undefined) json.output = step.output;
  if (step.outputTruncated === true) json.output_truncated = true;
  if (step.error !== undefined) json.error = step.error;
  return json;
}

/** The column list to read `runs.steps` with: `json_to_recordset(r.steps) AS s(${INLINE_STEP_COLUMNS})`. */
export const INLINE_STEP_COLUMNS = sql.raw(
  'node_id text, status text, port text, output jsonb, output_from text, output_truncated boolean, error jsonb, attempts int, started_at timestamptz, finished_at timestamptz',
);

/** A step's output read from `json_to_recordset(r.steps) AS s`, wherever it is kept. */
export const INLINE_STEP_OUTPUT = sql.raw(`coalesce(s.output, CASE s.output_from WHEN 'input' THEN r.input WHEN 'response' THEN r.response END)`);

interface InlineStepJson {
  node_id: string;
  status: RunStepRow['status'];
  port?: string;
  output?: unknown;
  output_from?: 'input' | 'response';
  output_truncated?: boolean;
  error?: unknown;
  attempts: number;
  started_at: string;
  finished_at: string;
}

/** `runs.steps` as the rows `run_steps` would have held, in the order the steps ran. */
export function inlineStepRows(run: { id: string; steps: unknown; input: unknown; response: unknown }): RunStepRow[] {
  const list = parseJson(run.steps) as InlineStepJson[];
  return list.map((step) => ({
    runId: run.id,
    nodeId: step.node_id,
    status: step.status,
    wait: null,
    port: step.port ?? null,
    output: step.output_from === undefined ? (step.output ?? null) : step.output_from === 'input' ? run.input : run.response,
    outputTruncated: step.output_truncated ?? false,
    error: step.error ?? null,
    attempts: step.attempts,
    startedAt: new Date(step.started_at),
    finishedAt: new Date(step.finished_at),
  }));
}
