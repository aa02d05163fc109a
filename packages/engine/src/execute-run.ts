import { AppError, type Logger } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { CompiledWorkflow } from './compile-workflow';
import type { NodeServices, ResumeInput } from './define-node';
import { RunState, type LoadCredentials } from './run-context';
import type { RunStore, StepRecord } from './run-store';
import { DEFAULT_MAX_OUTPUT_BYTES, findStop, isThenable, runStep, sleepWithTimer, STOP_STATUS } from './run-step';
import type { RunWait } from './step-suspension';
import { redactStepRecord } from './secret-redaction';

export { DEFAULT_MAX_OUTPUT_BYTES };

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
  /**
   * Outputs of nodes that are not part of this run, visible to expressions
   * as `$nodes` (testing one node with pinned data). Never fired along edges.
   */
  readonly pinnedOutputs?: Readonly<Record<string, unknown>>;
  /** What expressions see as `$trigger` when it differs from the trigger step's input (testing one node). */
  readonly triggerBinding?: unknown;
  /**
   * The record of the step a run ends on is not saved through the store but
   * returned in `unsavedSteps`, for the host to write in the same statement
   * as the run's end (one write fewer per run). Nothing runs after that step,
   * so no step can start before it is durable; a crash before the host's
   * write runs that last step again, as a crash during it would.
   */
  readonly deferFinalCheckpoint?: boolean;
  /** Called as soon as a response node finishes, so a sync webhook can reply before the run ends. */
  readonly onResponse?: (response: unknown) => void;
  /**
   * The host keeps waiting runs (durable waits): it stores the wait, the
   * callback token and the timer, and calls `executeRun` again to resume.
   * Without it a node that would suspend fails with ENGINE_WAIT_UNSUPPORTED,
   * so a host that cannot resume never sees `waiting`.
   */
  readonly canSuspend?: boolean;
  /**
   * Resumes a `waiting` run (needs `canSuspend`): the named step completes
   * (for `wait.webhook`, with `payload` as its output) and the run goes on.
   * Ignored when that step already finished, so a callback delivered twice
   * changes nothing.
   */
  readonly resumeInput?: ResumeInput;
}

/** `waiting` only for hosts that pass `canSuspend: true`. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'waiting';

export interface RunOutcome {
  readonly status: RunStatus;
  /** Every step of the run so far, resumed ones included, in execution order. */
  readonly steps: StepRecord[];
  /** Output of the last response node (`isResponse`) that succeeded. */
  readonly response?: unknown;
  readonly error?: { readonly nodeId: string; readonly message: string; readonly stack?: string; readonly code?: string; readonly details?: unknown };
  /**
   * With `deferFinalCheckpoint`: records not yet given to `store.saveStep`
   * (the step the run ended on, and a pure trigger's record riding with it).
   * The host stores them together with how the run ended.
   */
  readonly unsavedSteps?: StepRecord[];
  /** Secret values of the credentials the run used: a host removes them from the response it stores (`redactValue`). */
  readonly secrets?: readonly string[];
  /** With status `waiting`: what to resume on. The callback token is given once, on the call that suspended: store it then. */
  readonly wait?: RunWait;
}

/**
 * Runs a compiled workflow step by step in topological order. Each step's
 * record is saved through `store.saveStep` before the next step starts;
 * steps the store already holds as finished are not run again. A store
 * failure rejects the returned promise: the run can then be resumed. A step
 * that suspends (durable wait) ends the call with status `waiting`.
 */
export async function executeRun(compiled: CompiledWorkflow, options: ExecuteRunOptions): Promise<RunOutcome> {
  const secrets: string[] = [];
  const outcome = await executeSteps(compiled, options, secrets);
  return secrets.length === 0 ? outcome : { ...outcome, secrets };
}

async function executeSteps(compiled: CompiledWorkflow, options: ExecuteRunOptions, secrets: string[]): Promise<RunOutcome> {
  const { runId, store } = options;
  const isSuspendable = options.canSuspend === true;
  let resumeInput = options.resumeInput;
  if (resumeInput !== undefined) checkResumeTarget(compiled, resumeInput, isSuspendable);
  const run = new RunState(
    runId,
    options.triggerOutput,
    options.logger,
    options.services ?? {},
    options.credentials,
    compiled.steps.length,
    options.sleep ?? sleepWithTimer,
    secrets,
    options.triggerBinding ?? options.triggerOutput,
  );
  if (options.pinnedOutputs !== undefined) Object.assign(run.outputs, options.pinnedOutputs);
  const loaded = store.loadFinishedSteps(runId);
  const finished = isThenable(loaded) ? await loaded : loaded;
  // Failed records are skipped even if a store returns them: only finished work is reused.
  const resumed =
    finished.length === 0
      ? undefined
      : new Map(finished.filter((record) => record.status !== 'failed').map((record) => [record.nodeId, record]));
  const records: StepRecord[] = [];
  let response: unknown;
  // A pure trigger's record (its output is the run's input, known to the host) is written together
  // with the next checkpoint: one write fewer per run, and nothing is lost if the run stops in between.
  let deferred: StepRecord | undefined;
  // Awaited only when the store answers with a promise: an in-memory store costs nothing per step.
  const save = (record: StepRecord): void | Promise<unknown> => {
    if (deferred === undefined) return store.saveStep(runId, record);
    const earlier = deferred;
    deferred = undefined;
    const first = store.saveStep(runId, earlier);
    const second = store.saveStep(runId, record);
    return isThenable(first) || isThenable(second) ? Promise.all([first, second]) : undefined;
  };

  for (const step of compiled.steps) {
    const nodeId = step.node.id;
    const previous = resumed?.get(nodeId);
    if (previous !== undefined && previous.status !== 'waiting') {
      // A late or repeated callback for a step that already finished changes nothing.
      if (resumeInput?.nodeId === nodeId) resumeInput = undefined;
      run.restore(step, previous);
      records.push(previous);
      if (step.definition.isResponse && previous.status === 'succeeded') response = previous.output;
      continue;
    }
    const isResuming = resumeInput?.nodeId === nodeId;
    if (previous !== undefined && !isResuming) {
      if (resumeInput !== undefined) {
        throw new AppError(EngineErrors.ENGINE_RESUME_INVALID, `Run ${runId} waits at node ${nodeId}, not at ${resumeInput.nodeId}`, {
          waitingNodeId: nodeId,
          nodeId: resumeInput.nodeId,
        });
      }
      // Called again while still waiting (a worker re-claimed the run): wait on, do not issue a new token.
      records.push(previous);
      const resumeAt = previous.wait?.resumeAt;
      return { status: 'waiting', steps: records, response, wait: { nodeId, ...(resumeAt === undefined ? {} : { resumeAt }) } };
    }
    const stop = findStop(options);
    if (stop !== undefined) {
      if (deferred !== undefined) await store.saveStep(runId, deferred);
      const error = { nodeId, message: stop.message, code: stop.code };
      return { status: STOP_STATUS.get(stop.code)!, steps: records, response, error };
    }
    const resumption = isResuming ? { input: resumeInput!, previous } : undefined;
    const ran = runStep(run, step, options, isSuspendable, resumption);
    const { record: result, suspension } = isThenable(ran) ? await ran : ran;
    // Only the stored copy loses the secrets: downstream steps already received the real output.
    const record = redactStepRecord(result, run.secrets);
    if (isResuming) resumeInput = undefined;
    if (step.definition.isResponse && record.status === 'succeeded') {
      response = run.outputs[nodeId];
      // Before the checkpoint: a sync reply should not wait for a database write.
      options.onResponse?.(response);
    }
    const isLast = step.index === compiled.steps.length - 1 || record.status === 'failed';
    const isDeferrable = step.isTrigger && record.status === 'succeeded' && !step.definition.hasSideEffects && suspension === undefined && !isLast;
    records.push(record);
    if (isDeferrable) {
      deferred = record;
      continue;
    }
    if (isLast && suspension === undefined && options.deferFinalCheckpoint === true) {
      const unsaved = deferred === undefined ? [record] : [deferred, record];
      deferred = undefined;
      return finalOutcome(records, response, record, unsaved);
    }
    const saved = save(record);
    if (saved !== undefined) await saved;
    if (suspension !== undefined) return { status: 'waiting', steps: records, response, wait: { nodeId, ...suspension } };
    if (record.status === 'failed') return finalOutcome(records, response, record);
  }
  return { status: 'succeeded', steps: records, response };
}

/** How a run ends after `last`: failed (with its error, or the stop it hit) or succeeded. */
function finalOutcome(records: StepRecord[], response: unknown, last: StepRecord, unsavedSteps?: StepRecord[]): RunOutcome {
  const unsaved = unsavedSteps === undefined ? {} : { unsavedSteps };
  if (last.status !== 'failed') return { status: 'succeeded', steps: records, response, ...unsaved };
  const error = last.error!;
  const status = (error.code !== undefined && STOP_STATUS.get(error.code)) || 'failed';
  return { status, steps: records, response, error: { nodeId: last.nodeId, ...error }, ...unsaved };
}

/** Only a node that can suspend may be completed from outside; anything else would skip real work. */
function checkResumeTarget(compiled: CompiledWorkflow, resumeInput: ResumeInput, isSuspendable: boolean): void {
  if (!isSuspendable) throw new AppError(EngineErrors.ENGINE_RESUME_INVALID, 'resumeInput needs canSuspend: true');
  const step = compiled.steps.find((candidate) => candidate.node.id === resumeInput.nodeId);
  if (step === undefined || !step.definition.canSuspend) {
    throw new AppError(EngineErrors.ENGINE_RESUME_INVALID, `Node ${resumeInput.nodeId} is not a step of this workflow that can wait`, {
      nodeId: resumeInput.nodeId,
    });
  }
}
