import { setTimeout as wait } from 'node:timers/promises';
import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { CompiledStep } from './compile-workflow';
import type { ResumeInput } from './define-node';
import type { ExecuteRunOptions, RunStatus, Sleep } from './execute-run';
import type { RetryPolicy } from './graph';
import { NOT_REACHED, StepContext, type RunState } from './run-context';
import type { StepRecord } from './run-store';
import { capOutput, describeError, isNodeResult } from './step-output';
import { readSuspension, type Suspension } from './step-suspension';
import { redactValue } from './secret-redaction';

export const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;

/** A failed step keeps at most this much of its input; enough to see why, small enough to store every time. */
const MAX_FAILED_INPUT_BYTES = 65_536;

/** A Map, not an object: an error code such as "constructor" must not find a prototype member. */
export const STOP_STATUS: ReadonlyMap<string, RunStatus> = new Map<string, RunStatus>([
  [EngineErrors.ENGINE_RUN_CANCELLED, 'cancelled'],
  [EngineErrors.ENGINE_RUN_TIMED_OUT, 'timed_out'],
]);

export function findStop(options: ExecuteRunOptions): AppError | undefined {
  if (options.signal?.aborted) return new AppError(EngineErrors.ENGINE_RUN_CANCELLED, 'The run was cancelled');
  if (options.deadline !== undefined && Date.now() >= options.deadline) {
    return new AppError(EngineErrors.ENGINE_RUN_TIMED_OUT, 'The run exceeded its time limit');
  }
  return undefined;
}

function isStop(error: unknown): boolean {
  return error instanceof AppError && STOP_STATUS.has(error.code);
}

/** A waiting step being resumed: what the host sent, and the record it left when it suspended (if the store kept it). */
interface StepResumption {
  readonly input: ResumeInput;
  readonly previous?: StepRecord;
}

interface StepResult {
  readonly record: StepRecord;
  /** Set when the step suspended the run. */
  readonly suspension?: Suspension;
}

/**
 * Runs one step and returns its record. Synchronous while the node answers
 * synchronously (static params, a node that returns a value): a small
 * webhook run then costs no promise and no timer per step. Anything that
 * waits (templated params, an async node, a retry's backoff) continues as a
 * promise with the same outcome.
 */
export function runStep(
  run: RunState,
  step: CompiledStep,
  options: ExecuteRunOptions,
  isSuspendable: boolean,
  resumption?: StepResumption,
): StepResult | Promise<StepResult> {
  const startedAt = resumption?.previous?.startedAt ?? new Date();
  const earlierAttempts = resumption?.previous?.attempts ?? 0;
  const nodeId = step.node.id;
  const input = run.findInput(step);
  if (input === NOT_REACHED) return { record: { nodeId, status: 'skipped', attempts: 0, startedAt, finishedAt: startedAt } };
  const fail = (error: unknown, attempts: number): StepResult => ({
    record: recordFailure(nodeId, error, earlierAttempts + attempts, startedAt, input, options),
  });
  if (step.node.disabled) {
    // A disabled node hands its input on unchanged, so the rest of the flow still runs.
    return { record: recordSuccess(run, step, { output: input }, 0, startedAt, options, input) };
  }
  const context = new StepContext(run, step, input, resumption?.input);
  const retry = step.node.retry;
  const maxAttempts = retry?.attempts ?? 1;

  const finish = (result: unknown, attempt: number): StepResult | Promise<StepResult> => {
    let suspension: Suspension | undefined;
    try {
      suspension = step.definition.canSuspend ? readSuspension(result, nodeId) : undefined;
    } catch (error) {
      return retryAfter(error, attempt);
    }
    if (suspension !== undefined && !isSuspendable) {
      const error = new AppError(EngineErrors.ENGINE_WAIT_UNSUPPORTED, `Node ${nodeId} waits, and this host cannot keep a run waiting`);
      return fail(error, attempt);
    }
    if (suspension !== undefined) {
      return { record: recordWaiting(nodeId, suspension, earlierAttempts + attempt, startedAt), suspension };
    }
    return { record: recordSuccess(run, step, result, earlierAttempts + attempt, startedAt, options, input) };
  };

  const retryAfter = (error: unknown, attempt: number): StepResult | Promise<StepResult> => {
    if (attempt >= maxAttempts || isStop(error)) return fail(error, attempt);
    // The message may quote a credential the node loaded: logged without the run's secrets.
    const logged = run.secrets.length === 0 ? error : redactValue(describeError(error), run.secrets);
    run.logger.debug({ runId: run.runId, nodeId, attempt, err: logged }, 'step failed; retrying');
    return waitBeforeRetry(retry!, attempt, options).then((stop) => (stop !== undefined ? fail(stop, attempt) : attemptFrom(attempt + 1)));
  };

  const attemptFrom = (attempt: number): StepResult | Promise<StepResult> => {
    context.attempt = attempt;
    let result: unknown;
    try {
      result = invokeNode(step, context, options);
    } catch (error) {
      return retryAfter(error, attempt);
    }
    if (!isThenable(result)) return finish(result, attempt);
    return Promise.resolve(result).then(
      (value) => finish(value, attempt),
      (error: unknown) => retryAfter(error, attempt),
    );
  };

  if (step.params.isStatic) {
    context.params = step.params.value;
    return attemptFrom(1);
  }
  return step.params.resolve(context.bindings).then(
    (params) => {
      context.params = params;
      return attemptFrom(1);
    },
    (error: unknown) => fail(error, 0),
  );
}

/**
 * Calls the node's `run` with the run's signal, the node's timeout and the
 * run's deadline applied. A node that ignores its signal is abandoned, not
 * awaited, when a limit hits. A node that answered synchronously cannot be
 * interrupted anyway: its value (or throw) comes back as is, with no timer
 * and no listener.
 */
function invokeNode(step: CompiledStep, context: StepContext, options: ExecuteRunOptions): unknown {
  const runSignal = options.signal;
  if (runSignal?.aborted) throw new AppError(EngineErrors.ENGINE_RUN_CANCELLED, 'The run was cancelled');
  const result = step.definition.run(context);
  if (!isThenable(result)) return result;
  const untilDeadline = options.deadline === undefined ? Infinity : options.deadline - Date.now();
  const stepTimeout = step.node.timeoutMs ?? Infinity;
  if (runSignal === undefined && untilDeadline === Infinity && stepTimeout === Infinity) return result;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (): void => {
      clearTimeout(timer);
      runSignal?.removeEventListener('abort', cancel);
    };
    const stop = (error: AppError): void => {
      settle();
      context.abortWith(error);
      reject(error);
    };
    const cancel = (): void => stop(new AppError(EngineErrors.ENGINE_RUN_CANCELLED, 'The run was cancelled'));
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
    result.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
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

export const sleepWithTimer: Sleep = (ms, signal) => wait(ms, undefined, signal ? { signal } : undefined);

function recordSuccess(
  run: RunState,
  step: CompiledStep,
  result: unknown,
  attempts: number,
  startedAt: Date,
  options: ExecuteRunOptions,
  input: unknown,
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
    return recordFailure(nodeId, error, attempts, startedAt, input, options);
  }
  let capped: ReturnType<typeof capOutput>;
  try {
    capped = capOutput(output, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES, nodeId);
  } catch (error) {
    return recordFailure(nodeId, error, attempts, startedAt, input, options);
  }
  // Downstream steps get the real output; only the stored copy is capped.
  run.fire(step, port, output);
  const status = step.node.disabled ? 'skipped' : 'succeeded';
  const record: StepRecord = { nodeId, status, port, output: capped.stored, attempts, startedAt, finishedAt: new Date() };
  return capped.isTruncated ? { ...record, outputTruncated: true } : record;
}

function recordFailure(
  nodeId: string,
  error: unknown,
  attempts: number,
  startedAt: Date,
  input: unknown,
  options: ExecuteRunOptions,
): StepRecord {
  const record: StepRecord = { nodeId, status: 'failed', error: describeError(error), attempts, startedAt, finishedAt: new Date() };
  let storedInput: unknown;
  try {
    storedInput = capOutput(input, Math.min(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES, MAX_FAILED_INPUT_BYTES), nodeId).stored;
  } catch {
    // An input JSON cannot hold (a trigger payload with a cycle) is left out rather than hiding the real error.
    return record;
  }
  return storedInput === undefined ? record : { ...record, input: storedInput };
}

function recordWaiting(nodeId: string, suspension: Suspension, attempts: number, startedAt: Date): StepRecord {
  const wait = {
    ...(suspension.resumeAt === undefined ? {} : { resumeAt: suspension.resumeAt }),
    hasCallbackToken: suspension.callbackToken !== undefined,
  };
  return { nodeId, status: 'waiting', attempts, startedAt, finishedAt: new Date(), wait };
}
