import { setTimeout as wait } from 'node:timers/promises';
import { AppError, type Logger } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { CompiledStep, CompiledWorkflow } from './compile-workflow';
import type { NodeServices } from './define-node';
import type { RetryPolicy } from './graph';
import { NOT_REACHED, RunState, StepContext, type LoadCredentials } from './run-context';
import type { RunStore, StepRecord } from './run-store';
import { capOutput, describeError, isNodeResult } from './step-output';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface ExecuteRunOptions {
  readonly runId: string;
  /** The trigger's payload: the trigger node's input. */
  readonly triggerOutput: unknown;
  readonly store: RunStore;
  readonly logger: Logger;
  readonly services?: NodeServices;
  /** Aborting it cancels the run: the step in flight is abandoned and no further step starts. */
  readonly signal?: AbortSignal;
  /** Epoch milliseconds after which the run stops as 'timed_out'. */
  readonly deadline?: number;
  readonly credentials?: LoadCredentials;
  /** Stored outputs above this many bytes of JSON become a truncation marker. Infinity skips measuring. */
  readonly maxOutputBytes?: number;
  /** Waits between retries; tests inject one that does not wait. */
  readonly sleep?: Sleep;
  /** Source of retry jitter in [0, 1). */
  readonly random?: () => number;
  /** Called as soon as a response node finishes, so a sync webhook can reply before the run ends. */
  readonly onResponse?: (response: unknown) => void;
}

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

export interface RunOutcome {
  readonly status: RunStatus;
  /** Every step of the run so far, resumed ones included, in execution order. */
  readonly steps: StepRecord[];
  /** Output of the last response node (`isResponse`) that succeeded. */
  readonly response?: unknown;
  readonly error?: { readonly nodeId: string; readonly message: string; readonly stack?: string; readonly code?: string };
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;

/** A Map, not an object: an error code such as "constructor" must not find a prototype member. */
const STOP_STATUS: ReadonlyMap<string, RunStatus> = new Map<string, RunStatus>([
  [EngineErrors.ENGINE_RUN_CANCELLED, 'cancelled'],
  [EngineErrors.ENGINE_RUN_TIMED_OUT, 'timed_out'],
]);

const sleepWithTimer: Sleep = (ms, signal) => wait(ms, undefined, signal ? { signal } : undefined);

/**
 * Runs a compiled workflow step by step in topological order. Each step's
 * record is saved through `store.saveStep` before the next step starts;
 * steps the store already holds as finished are not run again. A store
 * failure rejects the returned promise: the run can then be resumed.
 */
export async function executeRun(compiled: CompiledWorkflow, options: ExecuteRunOptions): Promise<RunOutcome> {
  const { runId, store } = options;
  const run = new RunState(
    runId,
    options.triggerOutput,
    options.logger,
    options.services ?? {},
    options.credentials,
    compiled.steps.length,
  );
  const finished = await store.loadFinishedSteps(runId);
  // Failed records are skipped even if a store returns them: only finished work is reused.
  const resumed =
    finished.length === 0
      ? undefined
      : new Map(finished.filter((record) => record.status !== 'failed').map((record) => [record.nodeId, record]));
  const records: StepRecord[] = [];
  let response: unknown;

  for (const step of compiled.steps) {
    const previous = resumed?.get(step.node.id);
    if (previous !== undefined) {
      run.restore(step, previous);
      records.push(previous);
      if (step.definition.isResponse && previous.status === 'succeeded') response = previous.output;
      continue;
    }
    const stop = findStop(options);
    if (stop !== undefined) {
      const error = { nodeId: step.node.id, message: stop.message, code: stop.code };
      return { status: STOP_STATUS.get(stop.code)!, steps: records, response, error };
    }
    const record = await runStep(run, step, options);
    if (step.definition.isResponse && record.status === 'succeeded') {
      response = run.outputs[step.node.id];
      // Before the checkpoint: a sync reply should not wait for a database write.
      options.onResponse?.(response);
    }
    await store.saveStep(runId, record);
    records.push(record);
    if (record.status === 'failed') {
      const error = record.error!;
      const status = (error.code !== undefined && STOP_STATUS.get(error.code)) || 'failed';
      return { status, steps: records, response, error: { nodeId: step.node.id, ...error } };
    }
  }
  return { status: 'succeeded', steps: records, response };
}

function findStop(options: ExecuteRunOptions): AppError | undefined {
  if (options.signal?.aborted) return new AppError(EngineErrors.ENGINE_RUN_CANCELLED, 'The run was cancelled');
  if (options.deadline !== undefined && Date.now() >= options.deadline) {
    return new AppError(EngineErrors.ENGINE_RUN_TIMED_OUT, 'The run exceeded its time limit');
  }
  return undefined;
}

function isStop(error: unknown): boolean {
  return error instanceof AppError && STOP_STATUS.has(error.code);
}

async function runStep(run: RunState, step: CompiledStep, options: ExecuteRunOptions): Promise<StepRecord> {
  const startedAt = new Date();
  const nodeId = step.node.id;
  const input = run.findInput(step);
  if (input === NOT_REACHED) return { nodeId, status: 'skipped', attempts: 0, startedAt, finishedAt: startedAt };
  if (step.node.disabled) {
    // A disabled node hands its input on unchanged, so the rest of the flow still runs.
    return recordSuccess(run, step, { output: input }, 0, startedAt, options);
  }
  const context = new StepContext(run, step, input);
  try {
    context.params = step.params.isStatic ? step.params.value : await step.params.resolve(context.bindings);
  } catch (error) {
    return recordFailure(nodeId, error, 0, startedAt);
  }
  const retry = step.node.retry;
  const maxAttempts = retry?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    context.attempt = attempt;
    try {
      const result = await invokeNode(step, context, options);
      return recordSuccess(run, step, result, attempt, startedAt, options);
    } catch (error) {
      if (attempt >= maxAttempts || isStop(error)) return recordFailure(nodeId, error, attempt, startedAt);
      run.logger.debug({ runId: run.runId, nodeId, attempt, err: error }, 'step failed; retrying');
      const stop = await waitBeforeRetry(retry!, attempt, options);
      if (stop !== undefined) return recordFailure(nodeId, stop, attempt, startedAt);
    }
  }
}

/**
 * Calls the node's `run` with the run's signal, the node's timeout and the
 * run's deadline applied. A node that ignores its signal is abandoned, not
 * awaited, when a limit hits. Without any limit the call is made bare.
 */
function invokeNode(step: CompiledStep, context: StepContext, options: ExecuteRunOptions): Promise<unknown> {
  const runSignal = options.signal;
  const untilDeadline = options.deadline === undefined ? Infinity : options.deadline - Date.now();
  const stepTimeout = step.node.timeoutMs ?? Infinity;
  if (runSignal === undefined && untilDeadline === Infinity && stepTimeout === Infinity) {
    return Promise.resolve(step.definition.run(context));
  }
  const controller = new AbortController();
  context.signal = controller.signal;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (): void => {
      clearTimeout(timer);
      runSignal?.removeEventListener('abort', cancel);
    };
    const stop = (error: AppError): void => {
      settle();
      controller.abort(error);
      reject(error);
    };
    const cancel = (): void => stop(new AppError(EngineErrors.ENGINE_RUN_CANCELLED, 'The run was cancelled'));
    if (runSignal?.aborted) return cancel();
    runSignal?.addEventListener('abort', cancel, { once: true });
    const limit = Math.min(untilDeadline, stepTimeout);
    if (limit !== Infinity) {
      timer = setTimeout(() => {
        stop(
          untilDeadline <= stepTimeout
            ? new AppError(EngineErrors.ENGINE_RUN_TIMED_OUT, 'The run exceeded its time limit')
            : new AppError(EngineErrors.ENGINE_STEP_TIMED_OUT, `Node ${step.node.id} exceeded its ${stepTimeout} ms timeout`),
        );
      }, Math.max(0, limit));
    }
    new Promise((resolveRun) => resolveRun(step.definition.run(context))).then(
      (result) => {
        settle();
        resolve(result);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
async function waitBeforeRetry(
  retry: RetryPolicy,
  attempt: number,
  options: ExecuteRunOptions,
): Promise<AppError | undefined> {
  const ceiling = Math.min(retry.maxBackoffMs, retry.backoffMs * 2 ** (attempt - 1));
  const delay = Math.floor((options.random ?? Math.random)() * ceiling);
  if (options.deadline !== undefined && Date.now() + delay >= options.deadline) {
    return new AppError(EngineErrors.ENGINE_RUN_TIMED_OUT, 'The run exceeded its time limit');
  }
  try {
    await (options.sleep ?? sleepWithTimer)(delay, options.signal);
  } catch (error) {
    if (!options.signal?.aborted) throw error;
  }
  return findStop(options);
}

function recordSuccess(
  run: RunState,
  step: CompiledStep,
  result: unknown,
  attempts: number,
  startedAt: Date,
  options: ExecuteRunOptions,
): StepRecord {
  const nodeId = step.node.id;
  let output = result;
  let port = step.defaultPort;
  if (isNodeResult(result)) {
    output = result.output;
    if (result.port !== undefined) port = result.port;
  }
  if (port !== undefined && !step.definition.ports.outputs.includes(port)) {
    const error = new AppError(EngineErrors.ENGINE_PORT_UNKNOWN, `Node ${nodeId} chose port "${port}", which it does not declare`);
    return recordFailure(nodeId, error, attempts, startedAt);
  }
  let capped: ReturnType<typeof capOutput>;
  try {
    capped = capOutput(output, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES, nodeId);
  } catch (error) {
    return recordFailure(nodeId, error, attempts, startedAt);
  }
  // Downstream steps get the real output; only the stored copy is capped.
  run.fire(step, port, output);
  const status = step.node.disabled ? 'skipped' : 'succeeded';
  const record: StepRecord = { nodeId, status, port, output: capped.stored, attempts, startedAt, finishedAt: new Date() };
  return capped.isTruncated ? { ...record, outputTruncated: true } : record;
}

function recordFailure(nodeId: string, error: unknown, attempts: number, startedAt: Date): StepRecord {
  return { nodeId, status: 'failed', error: describeError(error), attempts, startedAt, finishedAt: new Date() };
}
