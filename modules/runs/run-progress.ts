import type { RunEventName, RunSnapshotEvent, RunStepState } from '@weft/contracts';
import type { CompiledWorkflow } from '@weft/engine';
import type { RunProgressRow } from './run-progress.repository';

/** A step of the run's graph in execution order. */
export interface OrderedStep {
  nodeId: string;
  /**
   * A trigger without side effects: the executor writes its record together
   * with the next step's, so it is never "the step in flight" on its own.
   */
  isDeferredTrigger: boolean;
}

export function describeStepOrder(compiled: CompiledWorkflow): OrderedStep[] {
  return compiled.steps.map((step) => ({ nodeId: step.node.id, isDeferredTrigger: step.isTrigger && !step.definition.hasSideEffects }));
}

export interface RunProgressEvent {
  event: RunEventName;
  data: unknown;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

export function isRunEnded(status: string): boolean {
  return FINISHED.has(status);
}

/**
 * The step in flight, which the database does not store: the executor runs
 * steps one at a time in `order` and writes each when it ends, so while the
 * run is `running` it is the first step without a record (a deferred trigger
 * is written with the step after it, so that one is in flight instead).
 */
export function findStepInFlight(order: readonly OrderedStep[], progress: RunProgressRow): string | null {
  if (progress.status !== 'running') return null;
  const recorded = new Set(progress.steps.map((step) => step.nodeId));
  const pending = order.filter((step) => !recorded.has(step.nodeId));
  const first = pending[0];
  if (first?.isDeferredTrigger && pending.length > 1) return pending[1]!.nodeId;
  return first?.nodeId ?? null;
}

/** The stream's view of a run: stored steps plus the one in flight. */
export function describeRunSnapshot(order: readonly OrderedStep[], progress: RunProgressRow): RunSnapshotEvent {
  const steps: RunStepState[] = progress.steps.map((step) => ({ ...step }));
  const inFlight = findStepInFlight(order, progress);
  if (inFlight !== null) steps.push({ nodeId: inFlight, status: 'running', startedAt: null, finishedAt: null });
  return {
    run: { id: progress.id, workflowId: progress.workflowId, status: progress.status, isDraft: progress.isDraft, startedAt: progress.startedAt, finishedAt: progress.finishedAt },
    steps,
  };
}

function stepEventOf(status: RunStepState['status']): RunEventName {
  if (status === 'running') return 'step.started';
  return status === 'failed' ? 'step.failed' : 'step.finished';
}

/**
 * The events that lead from one snapshot to the next: a step that finished
 * without having been seen in flight (it ran between two reads) is announced
 * as started first, so every step that ran has a start and an end. The run
 * starting comes before its steps; its end comes after them.
 */
export function describeProgressEvents(previous: RunSnapshotEvent, next: RunSnapshotEvent): RunProgressEvent[] {
  const runId = next.run.id;
  const before = new Map(previous.steps.map((step) => [step.nodeId, step]));
  const stepEvents: RunProgressEvent[] = [];
  for (const step of next.steps) {
    const earlier = before.get(step.nodeId);
    if (earlier?.status === step.status) continue;
    const hasRun = step.status !== 'skipped' && step.status !== 'running';
    if (hasRun && earlier === undefined) {
      stepEvents.push({ event: 'step.started', data: { runId, nodeId: step.nodeId, status: 'running', startedAt: step.startedAt, finishedAt: null } });
    }
    stepEvents.push({ event: stepEventOf(step.status), data: { runId, ...step } });
  }
  if (previous.run.status === next.run.status) return stepEvents;
  const statusEvent: RunProgressEvent = { event: 'run.status', data: { runId, status: next.run.status, finishedAt: next.run.finishedAt } };
  return isRunEnded(next.run.status) || next.run.status === 'waiting' ? [...stepEvents, statusEvent] : [statusEvent, ...stepEvents];
}
