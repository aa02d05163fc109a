import { runsApi, type RunView } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import { readDraft, writeDraft } from '../lib/form-draft';

/** What "test this node" remembers per node: the JSON typed as its input and as upstream outputs. */
export interface PinnedData {
  input: string;
  nodes: string;
}

// Under the form-draft prefix, so sign-out clears pinned data with the other drafts (it may hold personal data).
const pinKey = (workflowId: string, nodeId: string) => `pin:${workflowId}:${nodeId}`;

export function readPinnedData(workflowId: string, nodeId: string): PinnedData | null {
  return readDraft<PinnedData>(pinKey(workflowId, nodeId));
}

export function writePinnedData(workflowId: string, nodeId: string, data: PinnedData): void {
  writeDraft(pinKey(workflowId, nodeId), data);
}

/** Every node a node can read through `$nodes.<id>`: all of its ancestors, nearest first. */
export function findUpstreamNodeIds(graph: WorkflowGraph, nodeId: string): string[] {
  const found: string[] = [];
  const queue = [nodeId];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const edge of graph.edges) {
      if (edge.to === current && edge.from !== nodeId && !found.includes(edge.from)) {
        found.push(edge.from);
        queue.push(edge.from);
      }
    }
  }
  return found;
}

/** The latest run of the workflow with its steps, or null when it never ran. */
export async function findLastRun(workspaceSlug: string, workflowId: string): Promise<RunView | null> {
  const page = await runsApi.listRuns(workspaceSlug, { workflowId });
  const last = page.items[0];
  return last ? runsApi.findRun(workspaceSlug, last.id) : null;
}

/**
 * Pinned data from a past run: the node's input (its first upstream node's
 * output, or the run's input for a node without one) and the outputs of its
 * upstream nodes.
 */
export function buildPinsFromRun(run: RunView, graph: WorkflowGraph, nodeId: string): { input: unknown; nodes: Record<string, unknown> } | null {
  const upstream = findUpstreamNodeIds(graph, nodeId);
  const outputs = new Map(run.steps.map((step) => [step.nodeId, step.output]));
  const nodes: Record<string, unknown> = {};
  for (const id of upstream) if (outputs.has(id)) nodes[id] = outputs.get(id);
  const parent = graph.edges.find((edge) => edge.to === nodeId)?.from;
  if (parent !== undefined && !outputs.has(parent)) return Object.keys(nodes).length > 0 ? { input: {}, nodes } : null;
  return { input: parent === undefined ? run.input : outputs.get(parent), nodes };
}

export function formatPin(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** Parses one JSON box; empty means "not given". Throws a message a person can act on. */
export function parsePin(text: string, what: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`The ${what} is not valid JSON: check quotes, commas and brackets.`);
  }
}
