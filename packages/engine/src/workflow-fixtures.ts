import { createLogger } from '@weft/kernel';
import { compileWorkflow } from './compile-workflow';
import { executeRun, type ExecuteRunOptions, type RunOutcome } from './execute-run';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph';
import { createCoreNodeRegistry } from './nodes/core-nodes';
import { createMemoryRunStore } from './run-store';

/** Shared by the engine's tests; not part of the public API. */
export const silentLogger = createLogger({ level: 'silent', format: 'json' });

export function buildNode(
  id: string,
  type: string,
  params: Record<string, unknown> = {},
  extra: Partial<WorkflowNode> = {},
): WorkflowNode {
  return { id, type, version: 1, name: id, params, position: { x: 0, y: 0 }, ...extra };
}

export function linkNodes(from: string, to: string, fromPort = 'main', toPort = 'main'): WorkflowEdge {
  return { from, fromPort, to, toPort };
}

/** W1 from DESIGN.md §9: webhook → transform (`sum`, `greeting`) → respond. */
export function buildW1Graph(): WorkflowGraph {
  return {
    nodes: [
      buildNode('hook', 'trigger.webhook', { path: 'w1', method: 'POST' }),
      buildNode('shape', 'transform', { source: 'body', mapping: { sum: 'a + 1', greeting: '"hi " & name' } }),
      buildNode('reply', 'respond', { status: 200 }),
    ],
    edges: [linkNodes('hook', 'shape'), linkNodes('shape', 'reply')],
  };
}

export const W1_PAYLOAD = { body: { a: 41, name: 'bob' }, query: {}, headers: {}, method: 'POST' };

/** Runs `manual trigger → node` and returns the outcome: how the node tests exercise a node for real. */
export async function runAfterTrigger(
  node: WorkflowNode,
  triggerOutput: unknown,
  overrides: Partial<ExecuteRunOptions> = {},
): Promise<RunOutcome> {
  const graph = { nodes: [buildNode('start', 'trigger.manual'), node], edges: [linkNodes('start', node.id)] };
  const compiled = compileWorkflow(graph, createCoreNodeRegistry());
  return executeRun(compiled, { runId: 'test-run', triggerOutput, store: createMemoryRunStore(), logger: silentLogger, ...overrides });
}
