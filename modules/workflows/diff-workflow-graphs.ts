/** What changed between two graphs, keyed by the stable node ids. */
export interface GraphDiff {
  nodes: {
    added: string[];
    removed: string[];
    /** `paths` are dotted paths inside the node: `params.mapping.sum`, `position.x`, `retry`. */
    changed: { nodeId: string; paths: string[] }[];
  };
  edges: { added: EdgeKey[]; removed: EdgeKey[] };
}

export interface EdgeKey {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

interface LooseGraph {
  nodes?: unknown;
  edges?: unknown;
}

export function diffWorkflowGraphs(before: unknown, after: unknown): GraphDiff {
  const oldNodes = indexNodes(before);
  const newNodes = indexNodes(after);
  const added = [...newNodes.keys()].filter((id) => !oldNodes.has(id));
  const removed = [...oldNodes.keys()].filter((id) => !newNodes.has(id));
  const changed: GraphDiff['nodes']['changed'] = [];
  for (const [id, node] of newNodes) {
    const previous = oldNodes.get(id);
    if (previous === undefined) continue;
    const paths: string[] = [];
    collectChangedPaths(previous, node, '', paths);
    if (paths.length > 0) changed.push({ nodeId: id, paths });
  }
  const oldEdges = indexEdges(before);
  const newEdges = indexEdges(after);
  return {
    nodes: { added, removed, changed },
    edges: {
      added: [...newEdges].filter(([key]) => !oldEdges.has(key)).map(([, edge]) => edge),
      removed: [...oldEdges].filter(([key]) => !newEdges.has(key)).map(([, edge]) => edge),
    },
  };
}

function indexNodes(graph: unknown): Map<string, Record<string, unknown>> {
  const nodes = (graph as LooseGraph | null)?.nodes;
  const byId = new Map<string, Record<string, unknown>>();
  if (!Array.isArray(nodes)) return byId;
  for (const node of nodes) {
    if (isPlainObject(node) && typeof node.id === 'string' && !byId.has(node.id)) byId.set(node.id, node);
  }
  return byId;
}

function indexEdges(graph: unknown): Map<string, EdgeKey> {
  const edges = (graph as LooseGraph | null)?.edges;
  const byKey = new Map<string, EdgeKey>();
  if (!Array.isArray(edges)) return byKey;
  for (const edge of edges) {
    if (!isPlainObject(edge)) continue;
    const key: EdgeKey = { from: String(edge.from), fromPort: String(edge.fromPort), to: String(edge.to), toPort: String(edge.toPort) };
    byKey.set(JSON.stringify([key.from, key.fromPort, key.to, key.toPort]), key);
  }
  return byKey;
}

/** Leaf paths whose values differ; a value that changes type is reported at its own path. */
function collectChangedPaths(before: unknown, after: unknown, path: string, out: string[]): void {
  if (Object.is(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) collectChangedPaths(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) collectChangedPaths(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  out.push(path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
