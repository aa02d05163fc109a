import type { Edge, Node } from '@xyflow/react';
import type { GraphEdge, GraphNode, WorkflowGraph } from '../api/workflows.api';

/** What the canvas keeps per node: the stored node minus its id and position, which xyflow owns. */
export type WeftNodeData = Omit<GraphNode, 'id' | 'position'> & Record<string, unknown>;
export type WeftFlowNode = Node<WeftNodeData, 'weft'>;
export type WeftFlowEdge = Edge;

export function buildEdgeId(edge: GraphEdge): string {
  return `${edge.from}:${edge.fromPort}->${edge.to}:${edge.toPort}`;
}

export function toFlowNode(node: GraphNode): WeftFlowNode {
  const { id, position, ...data } = node;
  return { id, type: 'weft', position: { x: position.x, y: position.y }, data };
}

export function toFlowEdge(edge: GraphEdge): WeftFlowEdge {
  return { id: buildEdgeId(edge), source: edge.from, sourceHandle: edge.fromPort, target: edge.to, targetHandle: edge.toPort };
}

/** The canvas as the API stores it: field order fixed, so equal graphs serialise equally. */
export function toWorkflowGraph(nodes: readonly WeftFlowNode[], edges: readonly WeftFlowEdge[]): WorkflowGraph {
  return {
    nodes: nodes.map((node) => {
      const { type, version, name, params, credentialId, disabled, retry, timeoutMs } = node.data;
      return {
        id: node.id,
        type,
        version,
        name,
        params,
        position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
        ...(credentialId !== undefined ? { credentialId } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
        ...(retry !== undefined ? { retry } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      };
    }),
    edges: edges.map((edge) => ({ from: edge.source, fromPort: edge.sourceHandle ?? 'main', to: edge.target, toPort: edge.targetHandle ?? 'main' })),
  };
}

/** Tolerates drafts saved by older editors or by hand: anything malformed is dropped, not thrown. */
export function readDraftGraph(value: unknown): WorkflowGraph {
  const graph = (value ?? {}) as Partial<WorkflowGraph>;
  const nodes = Array.isArray(graph.nodes) ? graph.nodes.filter((node): node is GraphNode => typeof node?.id === 'string' && typeof node.type === 'string') : [];
  const edges = Array.isArray(graph.edges) ? graph.edges.filter((edge): edge is GraphEdge => typeof edge?.from === 'string' && typeof edge.to === 'string') : [];
  return {
    nodes: nodes.map((node, index) => ({
      ...node,
      version: node.version ?? 1,
      name: node.name ?? '',
      params: node.params ?? {},
      position: node.position ?? { x: index * 280, y: 0 },
    })),
    edges: edges.map((edge) => ({ ...edge, fromPort: edge.fromPort ?? 'main', toPort: edge.toPort ?? 'main' })),
  };
}

/**
 * A readable id that expressions can use (`$nodes.transform_2`): the last
 * word of the type, then a number when taken. Matches ^[A-Za-z0-9_-]{1,64}$.
 */
export function createNodeId(type: string, takenIds: ReadonlySet<string>): string {
  const base = (type.split('.').at(-1) ?? 'node').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50) || 'node';
  if (!takenIds.has(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}_${suffix}`;
    if (!takenIds.has(candidate)) return candidate;
  }
}

/** Stable JSON (sorted keys, 2 spaces, final newline), the same bytes as the API's export. */
export function stringifyStable(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 2) + '\n';
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeysDeep(child);
  }
  return sorted;
}
