import { AppError, type Logger } from '@weft/kernel';
import { compileWorkflow } from './compile-workflow';
import type { NodeRegistry, NodeServices } from './define-node';
import type { LoadCredentials } from './run-context';
import { EngineErrors } from './engine.errors';
import { executeRun } from './execute-run';
import { WorkflowNode } from './graph';
import { createMemoryRunStore, type StepRecord } from './run-store';
import { manualTriggerNode } from './nodes/manual-trigger.node';

export interface TestNodeInput {
  /** The node as it is in the draft. */
  node: unknown;
  registry: NodeRegistry;
  /** What the node receives on its (first) input port; for a trigger, what it is triggered with. */
  input: unknown;
  /** Outputs of other nodes its expressions read as `$nodes.<id>` (pinned data). */
  pinnedOutputs?: Record<string, unknown>;
  /** `$trigger` in its expressions (default: `input`). */
  trigger?: unknown;
  services?: NodeServices;
  credentials?: LoadCredentials;
  logger: Logger;
  timeoutMs: number;
  runId: string;
}

export interface TestNodeResult {
  status: StepRecord['status'];
  output?: unknown;
  port?: string;
  error?: StepRecord['error'];
  durationMs: number;
}

/** The synthetic trigger of a node test; the tested node's own id is kept, so `$nodes` reads as in the workflow. */
const PINNED_INPUT_ID = '__pinned-input';

/**
 * Runs one node on its own with pinned data: a manual trigger hands it
 * `input`, other nodes' outputs come from `pinnedOutputs`, and nothing else
 * of the workflow runs. The node does its real work (an HTTP node calls out),
 * exactly as in a run, with the workspace's services and credentials.
 */
export async function testNode(request: TestNodeInput): Promise<TestNodeResult> {
  const node = WorkflowNode.parse(request.node);
  const definition = request.registry.get(node.type, node.version);
  if (definition === undefined) throw new AppError(EngineErrors.ENGINE_GRAPH_INVALID, `Unknown node type ${node.type}@${node.version}`, { nodeId: node.id });
  const target = { ...node, disabled: false };
  const isTrigger = definition.kind === 'trigger';
  const inputPort = definition.ports.inputs[0];
  const graph =
    isTrigger || inputPort === undefined
      ? { nodes: [target], edges: [] }
      : {
          nodes: [{ id: PINNED_INPUT_ID, type: manualTriggerNode.type, version: manualTriggerNode.version, name: 'Pinned input', params: {}, position: { x: 0, y: 0 } }, target],
          edges: [{ from: PINNED_INPUT_ID, fromPort: 'main', to: node.id, toPort: inputPort }],
        };
  const compiled = compileWorkflow(graph, request.registry);
  const startedAt = Date.now();
  const outcome = await executeRun(compiled, {
    runId: request.runId,
    triggerOutput: request.input,
    triggerBinding: request.trigger ?? request.input,
    store: createMemoryRunStore(),
    logger: request.logger,
    deadline: startedAt + request.timeoutMs,
    ...(request.pinnedOutputs ? { pinnedOutputs: request.pinnedOutputs } : {}),
    ...(request.services ? { services: request.services } : {}),
    ...(request.credentials ? { credentials: request.credentials } : {}),
  });
  const record = outcome.steps.find((step) => step.nodeId === node.id);
  const durationMs = Date.now() - startedAt;
  if (record === undefined) return { status: 'failed', error: outcome.error ?? { message: 'The node did not run' }, durationMs };
  return {
    status: record.status,
    ...(record.output === undefined ? {} : { output: record.output }),
    ...(record.port === undefined ? {} : { port: record.port }),
    ...(record.error === undefined ? {} : { error: record.error }),
    durationMs,
  };
}
