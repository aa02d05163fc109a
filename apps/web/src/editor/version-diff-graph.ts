import type { Edge, Node } from '@xyflow/react';
import type { GraphDiff, WorkflowGraph } from '../api/workflows.api';
import { buildEdgeId } from './graph-conversion';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';
export type DiffFlowNode = Node<{ label: string; type: string; status: DiffStatus; paths: string[] }, 'diff'>;

/**
 * One canvas for two graphs: the newer graph's nodes (added and changed ones
 * marked) plus the older graph's removed nodes where they were, ghosted.
 */
export function buildDiffCanvas(older: WorkflowGraph, newer: WorkflowGraph, diff: GraphDiff): { nodes: DiffFlowNode[]; edges: Edge[] } {
  const added = new Set(diff.nodes.added);
  const changed = new Map(diff.nodes.changed.map((change) => [change.nodeId, change.paths]));
  const nodes: DiffFlowNode[] = newer.nodes.map((node) => ({
    id: node.id,
    type: 'diff',
    position: node.position,
    data: { label: node.name || node.id, type: node.type, status: added.has(node.id) ? 'added' : changed.has(node.id) ? 'changed' : 'same', paths: changed.get(node.id) ?? [] },
  }));
  for (const id of diff.nodes.removed) {
    const node = older.nodes.find((item) => item.id === id);
    if (node) nodes.push({ id, type: 'diff', position: node.position, data: { label: node.name || node.id, type: node.type, status: 'removed', paths: [] } });
  }
  const addedEdges = new Set(diff.edges.added.map(buildEdgeId));
  const edges: Edge[] = newer.edges.map((edge) => ({
    id: buildEdgeId(edge),
    // One handle per side on this read-only canvas: ports are not what is compared here.
    source: edge.from,
    target: edge.to,
    label: edge.fromPort === 'main' ? undefined : edge.fromPort,
    className: addedEdges.has(buildEdgeId(edge)) ? 'diff-edge-added' : undefined,
  }));
  for (const edge of diff.edges.removed) {
    edges.push({ id: `removed:${buildEdgeId(edge)}`, source: edge.from, target: edge.to, className: 'diff-edge-removed' });
  }
  return { nodes, edges };
}

export function countChanges(diff: GraphDiff): number {
  return diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.edges.added.length + diff.edges.removed.length;
}
