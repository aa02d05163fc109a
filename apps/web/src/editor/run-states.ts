import type { RunView } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import type { LiveRun } from '../pages/runs/use-run-events';

export type NodeRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';

/** What the canvas shows on a node while (and after) the editor follows a run. */
export interface NodeRunState {
  status: NodeRunStatus;
  durationMs: number | null;
}

const STEP_STATUSES = new Set<string>(['succeeded', 'failed', 'skipped', 'waiting']);

function measure(startedAt: string | null, finishedAt: string | null): number | null {
  return startedAt && finishedAt ? Math.max(0, new Date(finishedAt).getTime() - new Date(startedAt).getTime()) : null;
}

/**
 * Each node's state from the run's event stream, which names the step in
 * flight itself. Before anything ran, a queued run shows its trigger queued.
 */
export function deriveNodeRunStatesFromEvents(live: LiveRun, graph: WorkflowGraph): Map<string, NodeRunState> {
  const states = new Map<string, NodeRunState>();
  for (const step of live.steps.values()) states.set(step.nodeId, { status: step.status, durationMs: measure(step.startedAt, step.finishedAt) });
  if (live.status === 'queued' && states.size === 0) {
    const trigger = findTriggerNode(graph);
    if (trigger) states.set(trigger.id, { status: 'queued', durationMs: null });
  }
  return states;
}

/**
 * Each node's state in a run, from the run as stored (when its event stream
 * is not available). The API stores a step when it ends, so a node
 * is "running" when the run is in progress and every node feeding it has
 * finished (or it is the trigger and nothing has finished yet). Nodes of the
 * draft the published version does not have get no state.
 */
export function deriveNodeRunStates(run: RunView, graph: WorkflowGraph): Map<string, NodeRunState> {
  const states = new Map<string, NodeRunState>();
  for (const step of run.steps) {
    const status = (STEP_STATUSES.has(step.status) ? step.status : 'succeeded') as NodeRunStatus;
    const durationMs = Math.max(0, new Date(step.finishedAt).getTime() - new Date(step.startedAt).getTime());
    // A node inside a loop runs several times: the last step is its state, durations add up.
    const previous = states.get(step.nodeId);
    states.set(step.nodeId, { status, durationMs: (previous?.durationMs ?? 0) + durationMs });
  }
  if (run.status !== 'running' && run.status !== 'queued') return states;
  const pending: NodeRunStatus = run.status === 'queued' ? 'queued' : 'running';
  for (const node of graph.nodes) {
    if (states.has(node.id) || node.disabled) continue;
    const incoming = graph.edges.filter((edge) => edge.to === node.id);
    const isReady = incoming.length === 0 ? run.steps.length === 0 : incoming.some((edge) => states.get(edge.from)?.status === 'succeeded');
    if (isReady) states.set(node.id, { status: pending, durationMs: null });
  }
  return states;
}

/** The trigger of a graph: its first node without an incoming edge whose type is a trigger. */
export function findTriggerNode(graph: WorkflowGraph) {
  return graph.nodes.find((node) => node.type.startsWith('trigger.') && !graph.edges.some((edge) => edge.to === node.id)) ?? null;
}

/** The URL path of a webhook trigger node, when it has a literal one. */
export function readWebhookPath(node: { type: string; params: Record<string, unknown> } | null): string | null {
  if (node?.type !== 'trigger.webhook') return null;
  return typeof node.params.path === 'string' && node.params.path !== '' ? node.params.path : null;
}
