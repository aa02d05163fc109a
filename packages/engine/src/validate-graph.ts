import { AppError } from '@weft/kernel';
import type { z } from 'zod';
import { findCredentialType, type AnyNodeDefinition, type NodeRegistry, type PrepareTools } from './define-node';
import { compileExpression, EVALUATE_LATER, type CompiledExpression } from './expressions';
import { WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph';
import { findCycles, findReachable, type IndexEdge } from './graph-order';
import { isTemplateString, joinPath, parseTemplate, visitTemplateStrings } from './param-templates';

export type GraphProblemCode =
  | 'invalid_shape'
  | 'duplicate_node_id'
  | 'unknown_node_type'
  | 'dangling_edge'
  | 'unknown_port'
  | 'cycle'
  | 'missing_trigger'
  | 'multiple_triggers'
  | 'invalid_param'
  | 'invalid_expression'
  | 'missing_credential'
  | 'invalid_credential';

/** One thing wrong with a graph; `path` points into the graph (`nodes[2].params.url`, `edges[0].to`). */
export interface GraphProblem {
  readonly code: GraphProblemCode;
  readonly message: string;
  readonly nodeId?: string;
  readonly path: string;
}

export interface ValidateGraphOptions {
  /** Node types whose incoming back-edges may close a cycle (the loop body returning to the loop). */
  readonly loopNodeTypes?: readonly string[];
  /** Returns a problem message when the credential cannot serve this node (wrong type, other workspace…). */
  readonly checkCredential?: (node: WorkflowNode, credentialType: string) => string | null;
}

interface KnownNode {
  readonly node: WorkflowNode;
  readonly index: number;
  readonly definition: AnyNodeDefinition | undefined;
}

/** Lists every problem of a graph, not only the first, so the editor can mark them all at once. */
export function validateGraph(
  graph: unknown,
  registry: NodeRegistry,
  options: ValidateGraphOptions = {},
): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const shape = WorkflowGraph.safeParse(graph);
  const raw = graph as { nodes?: unknown; edges?: unknown } | null;
  const hasLists = typeof raw === 'object' && raw !== null && Array.isArray(raw.nodes) && Array.isArray(raw.edges);
  if (!shape.success && !hasLists) {
    for (const issue of shape.error.issues) {
      problems.push({ code: 'invalid_shape', message: issue.message, path: formatPath('', issue.path) });
    }
    return problems;
  }
  const rawNodes = (raw as { nodes: unknown[] }).nodes;
  const rawEdges = (raw as { edges: unknown[] }).edges;
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.path.length !== 1) continue;
      problems.push({ code: 'invalid_shape', message: issue.message, path: String(issue.path[0]) });
    }
  }

  const nodesById = new Map<string, KnownNode>();
  const triggers: KnownNode[] = [];
  rawNodes.forEach((rawNode, index) => {
    const parsed = WorkflowNode.safeParse(rawNode);
    if (!parsed.success) {
      const rawId = (rawNode as { id?: unknown } | null)?.id;
      const nodeId = typeof rawId === 'string' ? rawId : undefined;
      for (const issue of parsed.error.issues) {
        const path = formatPath(`nodes[${index}]`, issue.path);
        problems.push({ code: 'invalid_shape', message: issue.message, nodeId, path });
      }
      return;
    }
    const node = parsed.data;
    if (nodesById.has(node.id)) {
      const message = `Node id "${node.id}" is used more than once`;
      problems.push({ code: 'duplicate_node_id', message, nodeId: node.id, path: `nodes[${index}].id` });
      return;
    }
    const definition = registry.get(node.type, node.version);
    nodesById.set(node.id, { node, index, definition });
    if (definition === undefined) {
      const message = `Unknown node type ${node.type} version ${node.version}`;
      problems.push({ code: 'unknown_node_type', message, nodeId: node.id, path: `nodes[${index}].type` });
      return;
    }
    if (definition.kind === 'trigger') triggers.push({ node, index, definition });
    checkParams(node, index, definition, problems);
    checkCredential(node, index, definition, options, problems);
  });

  if (triggers.length === 0) {
    problems.push({ code: 'missing_trigger', message: 'A workflow needs exactly one trigger node', path: 'nodes' });
  }
  for (const extra of triggers.slice(1)) {
    problems.push({
      code: 'multiple_triggers',
      message: `Only one trigger is allowed; "${triggers[0]!.node.id}" is already the trigger`,
      nodeId: extra.node.id,
      path: `nodes[${extra.index}]`,
    });
  }

  const edges = checkEdges(rawEdges, nodesById, problems);
  checkCycles(nodesById, edges, new Set(options.loopNodeTypes ?? []), problems);
  return problems;
}

function checkEdges(rawEdges: unknown[], nodesById: Map<string, KnownNode>, problems: GraphProblem[]): WorkflowEdge[] {
  const edges: WorkflowEdge[] = [];
  rawEdges.forEach((rawEdge, index) => {
    const parsed = WorkflowEdge.safeParse(rawEdge);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = formatPath(`edges[${index}]`, issue.path);
        problems.push({ code: 'invalid_shape', message: issue.message, path });
      }
      return;
    }
    const edge = parsed.data;
    const source = nodesById.get(edge.from);
    const target = nodesById.get(edge.to);
    for (const [end, known, attached] of [['from', source, target], ['to', target, source]] as const) {
      if (known === undefined) {
        problems.push({
          code: 'dangling_edge',
          message: `Edge ${edge.from} → ${edge.to} points at missing node "${edge[end]}"`,
          nodeId: attached?.node.id,
          path: `edges[${index}].${end}`,
        });
      }
    }
    if (source === undefined || target === undefined) return;
    if (source.definition && !source.definition.ports.outputs.includes(edge.fromPort)) {
      problems.push({
        code: 'unknown_port',
        message: `Node "${edge.from}" (${source.node.type}) has no output port "${edge.fromPort}"`,
        nodeId: edge.from,
        path: `edges[${index}].fromPort`,
      });
    }
    if (target.definition && !target.definition.ports.inputs.includes(edge.toPort)) {
      problems.push({
        code: 'unknown_port',
        message: `Node "${edge.to}" (${target.node.type}) has no input port "${edge.toPort}"`,
        nodeId: edge.to,
        path: `edges[${index}].toPort`,
      });
    }
    edges.push(edge);
  });
  return edges;
}

function checkCycles(
  nodesById: Map<string, KnownNode>,
  edges: readonly WorkflowEdge[],
  loopNodeTypes: ReadonlySet<string>,
  problems: GraphProblem[],
): void {
  const known = [...nodesById.values()];
  const position = new Map(known.map((entry, at) => [entry.node.id, at]));
  const indexEdges: IndexEdge[] = edges.map((edge) => ({ from: position.get(edge.from)!, to: position.get(edge.to)! }));
  // A loop node's back-edge is one coming from a node the loop itself reaches.
  const isBackEdge = (edge: IndexEdge): boolean =>
    loopNodeTypes.has(known[edge.to]!.node.type) && findReachable(edge.to, known.length, indexEdges).has(edge.from);
  const forwardEdges = indexEdges.filter((edge) => !isBackEdge(edge));
  for (const cycle of findCycles(known.length, forwardEdges)) {
    const ids = cycle.map((at) => known[at]!.node.id);
    for (const at of cycle) {
      const { node, index } = known[at]!;
      const message = `Node "${node.id}" is part of a cycle (${ids.join(', ')})`;
      problems.push({ code: 'cycle', message, nodeId: node.id, path: `nodes[${index}]` });
    }
  }
}

function checkParams(
  node: WorkflowNode,
  index: number,
  definition: AnyNodeDefinition,
  problems: GraphProblem[],
): void {
  const base = `nodes[${index}].params`;
  let hasInvalidParams = false;
  const parsed = (definition.params as z.ZodType).safeParse(node.params);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A template's value is only known at run time; it is checked again then.
      if (isUnderTemplate(node.params, issue.path)) continue;
      hasInvalidParams = true;
      const path = formatPath(base, issue.path);
      problems.push({ code: 'invalid_param', message: issue.message, nodeId: node.id, path });
    }
  }
  const pushExpressionProblem = (error: unknown, param: string): void => {
    if (!(error instanceof AppError)) throw error;
    problems.push({ code: 'invalid_expression', message: error.message, nodeId: node.id, path: joinPath(base, param) });
  };
  for (const [key, value] of Object.entries(node.params)) {
    if (definition.rawParams.includes(key)) continue;
    visitTemplateStrings(value, key, (text, param) => {
      try {
        for (const part of parseTemplate(text, node.id, param) ?? []) {
          if (typeof part !== 'string') compileExpression(part.expression, { nodeId: node.id, param });
        }
      } catch (error) {
        pushExpressionProblem(error, param);
      }
    });
  }
  if (hasInvalidParams || definition.prepare === undefined) return;
  const tools: PrepareTools = {
    compileExpression(source, param) {
      try {
        return compileExpression(source, { nodeId: node.id, param });
      } catch (error) {
        pushExpressionProblem(error, param);
        return UNUSABLE_EXPRESSION;
      }
    },
  };
  try {
    definition.prepare(node.params, tools);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push({ code: 'invalid_param', message, nodeId: node.id, path: base });
  }
}

/** Stands in for an expression that failed to compile, so `prepare` can go on and report the rest. */
const UNUSABLE_EXPRESSION: CompiledExpression = {
  source: '',
  evaluate: () => Promise.reject(new Error('This expression did not compile')),
  evaluateNow: () => EVALUATE_LATER,
};

function checkCredential(
  node: WorkflowNode,
  index: number,
  definition: AnyNodeDefinition,
  options: ValidateGraphOptions,
  problems: GraphProblem[],
): void {
  const credentialType = findCredentialType(definition, node.params);
  if (credentialType === undefined) return;
  const path = `nodes[${index}].credentialId`;
  if (node.credentialId === undefined) {
    const message = `Node "${node.id}" needs a ${credentialType} credential`;
    problems.push({ code: 'missing_credential', message, nodeId: node.id, path });
    return;
  }
  const message = options.checkCredential?.(node, credentialType) ?? null;
  if (message !== null) problems.push({ code: 'invalid_credential', message, nodeId: node.id, path });
}

function isUnderTemplate(params: unknown, path: readonly PropertyKey[]): boolean {
  let current = params;
  for (const segment of path) {
    if (isTemplateString(current)) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return isTemplateString(current);
}

function formatPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    path = typeof segment === 'number' ? `${path}[${segment}]` : joinPath(path, String(segment));
  }
  return path;
}
