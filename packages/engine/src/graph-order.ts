/** Edges as index pairs into a node list; the graph algorithms need nothing else. */
export interface IndexEdge {
  readonly from: number;
  readonly to: number;
}

function listSuccessors(nodeCount: number, edges: readonly IndexEdge[]): number[][] {
  const successors: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const edge of edges) successors[edge.from]!.push(edge.to);
  return successors;
}

/**
 * Strongly connected components that form a cycle (more than one node, or a
 * node with an edge to itself), by Tarjan's algorithm, iteratively so a long
 * chain cannot overflow the stack.
 */
export function findCycles(nodeCount: number, edges: readonly IndexEdge[]): number[][] {
  const successors = listSuccessors(nodeCount, edges);
  const index = new Array<number>(nodeCount).fill(-1);
  const lowLink = new Array<number>(nodeCount).fill(0);
  const isOnStack = new Array<boolean>(nodeCount).fill(false);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;

  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue;
    const work: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    index[root] = lowLink[root] = counter++;
    stack.push(root);
    isOnStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = successors[frame.node]!;
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (index[target] === -1) {
          index[target] = lowLink[target] = counter++;
          stack.push(target);
          isOnStack[target] = true;
          work.push({ node: target, next: 0 });
        } else if (isOnStack[target]) {
          lowLink[frame.node] = Math.min(lowLink[frame.node]!, index[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink[parent.node] = Math.min(lowLink[parent.node]!, lowLink[frame.node]!);
      if (lowLink[frame.node] !== index[frame.node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        isOnStack[member] = false;
        component.push(member);
      } while (member !== frame.node);
      const isSelfLoop = component.length === 1 && targets.includes(frame.node);
      if (component.length > 1 || isSelfLoop) cycles.push(component.sort((a, b) => a - b));
    }
  }
  return cycles;
}

/** Nodes reachable from `start` by following edges forward (start included). */
export function findReachable(start: number, nodeCount: number, edges: readonly IndexEdge[]): Set<number> {
  const successors = listSuccessors(nodeCount, edges);
  const seen = new Set([start]);
  const pending = [start];
  while (pending.length > 0) {
    for (const next of successors[pending.pop()!]!) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

/**
 * Kahn's algorithm; among ready nodes the one declared first goes first, so
 * the order is stable across compilations of the same graph. `first` (the
 * trigger) leads whenever it has no incoming edge. The graph must be acyclic.
 */
export function orderTopologically(nodeCount: number, edges: readonly IndexEdge[], first: number): number[] {
  const successors = listSuccessors(nodeCount, edges);
  const inDegree = new Array<number>(nodeCount).fill(0);
  for (const edge of edges) inDegree[edge.to]!++;
  const ready: number[] = [];
  for (let node = 0; node < nodeCount; node++) if (inDegree[node] === 0 && node !== first) ready.push(node);
  if (inDegree[first] === 0) ready.unshift(first);
  const order: number[] = [];
  while (ready.length > 0) {
    const node = ready.shift()!;
    order.push(node);
    const released: number[] = [];
    for (const next of successors[node]!) if (--inDegree[next]! === 0) released.push(next);
    // Merge keeping declaration order among everything that is ready.
    for (const next of released.sort((a, b) => a - b)) {
      const at = ready.findIndex((candidate) => candidate > next && candidate !== first);
      if (at === -1) ready.push(next);
      else ready.splice(at, 0, next);
    }
  }
  if (order.length !== nodeCount) throw new Error('orderTopologically needs an acyclic graph');
  return order;
}
