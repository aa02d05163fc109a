import type { GraphEdge, GraphNode, WorkflowGraph } from '../api/workflows.api';
import { createNodeId } from './graph-conversion';

/** What a copy puts on the clipboard: selected nodes and the edges between them. */
export interface ClipboardContent {
  weftClipboard: 1;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const PASTE_OFFSET = 40;
let lastCopied: ClipboardContent | null = null;

export function copyNodes(graph: WorkflowGraph, selectedIds: ReadonlySet<string>): ClipboardContent | null {
  if (selectedIds.size === 0) return null;
  lastCopied = {
    weftClipboard: 1,
    nodes: graph.nodes.filter((node) => selectedIds.has(node.id)),
    edges: graph.edges.filter((edge) => selectedIds.has(edge.from) && selectedIds.has(edge.to)),
  };
  return lastCopied;
}

/** Clipboard text from this or another Weft tab; the last in-memory copy when the text is not ours. */
export function readClipboardContent(text: string | undefined): ClipboardContent | null {
  if (text) {
    try {
      const parsed = JSON.parse(text) as Partial<ClipboardContent>;
      if (parsed.weftClipboard === 1 && Array.isArray(parsed.nodes) && Array.isArray(parsed.edges)) return parsed as ClipboardContent;
    } catch {
      // Not ours: plain text pasted on the canvas.
    }
  }
  return lastCopied;
}

/** Fresh ids (so pasted nodes never clash), shifted down-right, edges re-pointed. */
export function preparePaste(content: ClipboardContent, takenIds: ReadonlySet<string>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const taken = new Set(takenIds);
  const renamed = new Map<string, string>();
  const nodes = content.nodes.map((node) => {
    const id = createNodeId(node.id.replace(/_\d+$/, ''), taken);
    taken.add(id);
    renamed.set(node.id, id);
    return { ...node, id, position: { x: node.position.x + PASTE_OFFSET, y: node.position.y + PASTE_OFFSET } };
  });
  const edges = content.edges.map((edge) => ({ ...edge, from: renamed.get(edge.from)!, to: renamed.get(edge.to)! }));
  // The next paste of the same content lands further along.
  lastCopied = { weftClipboard: 1, nodes, edges };
  return { nodes, edges };
}
