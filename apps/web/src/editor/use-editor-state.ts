import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { GraphNode, WorkflowGraph } from '../api/workflows.api';
import { buildEdgeId, toFlowEdge, toFlowNode, toWorkflowGraph, type WeftFlowEdge, type WeftFlowNode, type WeftNodeData } from './graph-conversion';

interface Flow {
  nodes: WeftFlowNode[];
  edges: WeftFlowEdge[];
}

const HISTORY_LIMIT = 100;
/** Keystrokes in one field within this window make one undo step, not one per character. */
const COALESCE_MS = 1500;

function toFlow(graph: WorkflowGraph, selectedIds: ReadonlySet<string> = new Set()): Flow {
  return {
    nodes: graph.nodes.map((node) => ({ ...toFlowNode(node), selected: selectedIds.has(node.id) })),
    edges: graph.edges.map(toFlowEdge),
  };
}

/**
 * The editor's graph with undo/redo. Every change that should be undoable
 * calls `checkpoint()` first, which stores the graph as it was; selection and
 * viewport changes are not history.
 */
export function useEditorState(initialGraph: WorkflowGraph) {
  const [flow, setFlow] = useState<Flow>(() => toFlow(initialGraph));
  const flowRef = useRef(flow);
  flowRef.current = flow;
  const past = useRef<WorkflowGraph[]>([]);
  const future = useRef<WorkflowGraph[]>([]);
  const lastCheckpoint = useRef<{ key: string | null; at: number }>({ key: null, at: 0 });
  const [historySize, setHistorySize] = useState({ past: 0, future: 0 });

  const syncHistorySize = () => setHistorySize({ past: past.current.length, future: future.current.length });
  const readGraph = useCallback(() => toWorkflowGraph(flowRef.current.nodes, flowRef.current.edges), []);

  const checkpoint = useCallback(
    (coalesceKey: string | null = null) => {
      const now = Date.now();
      const previous = lastCheckpoint.current;
      lastCheckpoint.current = { key: coalesceKey, at: now };
      if (coalesceKey !== null && previous.key === coalesceKey && now - previous.at < COALESCE_MS) return;
      past.current.push(readGraph());
      if (past.current.length > HISTORY_LIMIT) past.current.shift();
      future.current = [];
      syncHistorySize();
    },
    [readGraph],
  );

  const restore = useCallback((graph: WorkflowGraph) => {
    const selected = new Set(flowRef.current.nodes.filter((node) => node.selected).map((node) => node.id));
    lastCheckpoint.current = { key: null, at: 0 };
    setFlow(toFlow(graph, selected));
  }, []);

  const undo = useCallback(() => {
    const previous = past.current.pop();
    if (!previous) return;
    future.current.push(readGraph());
    restore(previous);
    syncHistorySize();
  }, [readGraph, restore]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next) return;
    past.current.push(readGraph());
    restore(next);
    syncHistorySize();
  }, [readGraph, restore]);

  /** Drops the last checkpoint when nothing changed after it (a click that was not a drag). */
  const dropCheckpointIfUnchanged = useCallback(() => {
    const last = past.current.at(-1);
    if (last && JSON.stringify(last) === JSON.stringify(readGraph())) {
      past.current.pop();
      syncHistorySize();
    }
  }, [readGraph]);

  const onNodesChange = useCallback((changes: NodeChange<WeftFlowNode>[]) => {
    setFlow((current) => ({ ...current, nodes: applyNodeChanges(changes, current.nodes) }));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<WeftFlowEdge>[]) => {
    setFlow((current) => ({ ...current, edges: applyEdgeChanges(changes, current.edges) }));
  }, []);

  const onConnect = useCallback(
    (connection: Connection) => {
      const edge = { from: connection.source, fromPort: connection.sourceHandle ?? 'main', to: connection.target, toPort: connection.targetHandle ?? 'main' };
      if (edge.from === edge.to || flowRef.current.edges.some((item) => item.id === buildEdgeId(edge))) return;
      checkpoint();
      setFlow((current) => ({ ...current, edges: addEdge(toFlowEdge(edge), current.edges) }));
    },
    [checkpoint],
  );

  /** Adds nodes (and edges between them), selecting only the new nodes. */
  const insertNodes = useCallback(
    (nodes: GraphNode[], edges: WorkflowGraph['edges'] = []) => {
      checkpoint();
      setFlow((current) => ({
        nodes: [...current.nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...nodes.map((node) => ({ ...toFlowNode(node), selected: true }))],
        edges: [...current.edges, ...edges.map(toFlowEdge)],
      }));
    },
    [checkpoint],
  );

  const updateNodeData = useCallback(
    (nodeId: string, patch: Partial<WeftNodeData>, coalesceKey?: string) => {
      checkpoint(coalesceKey ?? null);
      setFlow((current) => ({
        ...current,
        nodes: current.nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, ...patch } } : node)),
      }));
    },
    [checkpoint],
  );

  const connectPorts = useCallback(
    (edge: WorkflowGraph['edges'][number], replaceIncoming: boolean) => {
      checkpoint();
      setFlow((current) => {
        const kept = replaceIncoming ? current.edges.filter((item) => !(item.target === edge.to && (item.targetHandle ?? 'main') === edge.toPort)) : current.edges;
        return { ...current, edges: edge.from ? [...kept, toFlowEdge(edge)] : kept };
      });
    },
    [checkpoint],
  );

  const deleteSelection = useCallback(() => {
    const { nodes, edges } = flowRef.current;
    const removedNodes = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
    const isRemovedEdge = (edge: WeftFlowEdge) => edge.selected || removedNodes.has(edge.source) || removedNodes.has(edge.target);
    if (removedNodes.size === 0 && !edges.some(isRemovedEdge)) return;
    checkpoint();
    setFlow((current) => ({
      nodes: current.nodes.filter((node) => !removedNodes.has(node.id)),
      edges: current.edges.filter((edge) => !isRemovedEdge(edge)),
    }));
  }, [checkpoint]);

  const replaceGraph = useCallback(
    (graph: WorkflowGraph) => {
      checkpoint();
      setFlow(toFlow(graph));
    },
    [checkpoint],
  );

  const selectAll = useCallback(() => {
    setFlow((current) => ({ ...current, nodes: current.nodes.map((node) => ({ ...node, selected: true })) }));
  }, []);

  const graph = useMemo(() => toWorkflowGraph(flow.nodes, flow.edges), [flow]);

  return {
    nodes: flow.nodes,
    edges: flow.edges,
    graph,
    readGraph,
    canUndo: historySize.past > 0,
    canRedo: historySize.future > 0,
    checkpoint,
    dropCheckpointIfUnchanged,
    undo,
    redo,
    onNodesChange,
    onEdgesChange,
    onConnect,
    insertNodes,
    updateNodeData,
    connectPorts,
    deleteSelection,
    replaceGraph,
    selectAll,
  };
}

export type EditorState = ReturnType<typeof useEditorState>;
