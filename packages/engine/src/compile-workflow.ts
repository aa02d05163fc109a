import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import { findCredentialType, type AnyNodeDefinition, type InputJoin, type NodeRegistry, type PrepareTools } from './define-node';
import { compileExpression } from './expressions';
import { WorkflowGraph, type WorkflowNode } from './graph';
import { orderTopologically } from './graph-order';
import { compileParams, type CompiledParams } from './param-templates';
import { validateGraph, type ValidateGraphOptions } from './validate-graph';

/** An edge seen from its target: which upstream step and port make it fire. */
export interface IncomingEdge {
  readonly fromStep: number;
  readonly fromPort: string;
  readonly toPort: string;
}

export interface OutgoingEdge {
  readonly to: string;
  readonly toPort: string;
}

export interface CompiledStep {
  /** Position in `CompiledWorkflow.steps`. */
  readonly index: number;
  readonly node: WorkflowNode;
  readonly definition: AnyNodeDefinition;
  readonly params: CompiledParams;
  readonly prepared: unknown;
  readonly isTrigger: boolean;
  readonly incoming: readonly IncomingEdge[];
  readonly outgoingByPort: Readonly<Record<string, readonly OutgoingEdge[]>>;
  readonly defaultPort: string | undefined;
  /** For nodes with several input ports: when they run. */
  readonly inputJoin: InputJoin;
  /** Input ports with at least one incoming edge, in declaration order. */
  readonly connectedInputs: readonly string[];
  /** The credential type the node needs with its params; handed to `LoadCredentials`. */
  readonly credentialType: string | undefined;
}

/** A graph ready to run many times: validated, ordered, expressions compiled. Immutable. */
export interface CompiledWorkflow {
  readonly triggerNodeId: string;
  /** In topological order; the trigger is first. */
  readonly steps: readonly CompiledStep[];
  /** Some step can suspend the run (a durable wait): a host must run it durably from its first step. */
  readonly canSuspend: boolean;
}

export type CompileWorkflowOptions = Pick<ValidateGraphOptions, 'checkCredential'>;

/**
 * Validates and compiles a graph. Pure: the same graph and registry always
 * give an equivalent result, so hosts cache it per published version. Throws
 * ENGINE_GRAPH_INVALID with the full problem list as details.
 */
export function compileWorkflow(
  graph: unknown,
  registry: NodeRegistry,
  options: CompileWorkflowOptions = {},
): CompiledWorkflow {
  const problems = validateGraph(graph, registry, options);
  if (problems.length > 0) {
    throw new AppError(EngineErrors.ENGINE_GRAPH_INVALID, `The workflow has ${problems.length} problem(s)`, problems);
  }
  const { nodes, edges } = WorkflowGraph.parse(graph);
  const definitions = nodes.map((node) => registry.get(node.type, node.version)!);
  const triggerIndex = definitions.findIndex((definition) => definition.kind === 'trigger');
  const indexOf = new Map(nodes.map((node, index) => [node.id, index]));
  const indexEdges = edges.map((edge) => ({ from: indexOf.get(edge.from)!, to: indexOf.get(edge.to)! }));
  const order = orderTopologically(nodes.length, indexEdges, triggerIndex);
  const stepOf = new Map(order.map((nodeIndex, stepIndex) => [nodes[nodeIndex]!.id, stepIndex]));

  const steps = order.map((nodeIndex, index): CompiledStep => {
    const node = nodes[nodeIndex]!;
    const definition = definitions[nodeIndex]!;
    const outgoingByPort: Record<string, OutgoingEdge[]> = {};
    for (const port of definition.ports.outputs) outgoingByPort[port] = [];
    const incoming: IncomingEdge[] = [];
    for (const edge of edges) {
      if (edge.from === node.id) outgoingByPort[edge.fromPort]!.push({ to: edge.to, toPort: edge.toPort });
      if (edge.to === node.id) incoming.push({ fromStep: stepOf.get(edge.from)!, fromPort: edge.fromPort, toPort: edge.toPort });
    }
    return Object.freeze({
      index,
      node,
      definition,
      params: compileParams(node.id, node.params, definition.params, definition.rawParams),
      prepared: prepareNode(node, definition),
      isTrigger: nodeIndex === triggerIndex,
      incoming: Object.freeze(incoming),
      outgoingByPort: Object.freeze(outgoingByPort),
      defaultPort: definition.ports.outputs[0],
      inputJoin: definition.selectInputJoin?.(node.params) ?? 'all-inputs',
      connectedInputs: Object.freeze(definition.ports.inputs.filter((port) => incoming.some((edge) => edge.toPort === port))),
      credentialType: findCredentialType(definition, node.params),
    });
  });
  return Object.freeze({
    triggerNodeId: nodes[triggerIndex]!.id,
    steps: Object.freeze(steps),
    canSuspend: steps.some((step) => step.definition.canSuspend === true),
  });
}

function prepareNode(node: WorkflowNode, definition: AnyNodeDefinition): unknown {
  if (definition.prepare === undefined) return undefined;
  const tools: PrepareTools = {
    compileExpression: (source, param) => compileExpression(source, { nodeId: node.id, param }),
  };
  return definition.prepare(node.params, tools);
}
