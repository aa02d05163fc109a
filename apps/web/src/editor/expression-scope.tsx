import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { queryKeys } from '../api/query-keys';
import type { RunView } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import type { ExpressionScope } from './expression-suggestions';
import { findLastRun, findUpstreamNodeIds, readPinnedData } from './pinned-data';

const EMPTY_SCOPE: ExpressionScope = { upstream: [], input: undefined, trigger: undefined };
const ExpressionScopeContext = createContext<ExpressionScope>(EMPTY_SCOPE);

export function useExpressionScope(): ExpressionScope {
  return useContext(ExpressionScopeContext);
}

function parseJson(text: string | undefined): unknown {
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface ExpressionScopeProviderProps {
  workspaceSlug: string;
  workflowId: string;
  nodeId: string;
  graph: WorkflowGraph;
  /** The run the editor follows, preferred over the workflow's last run. */
  run: RunView | null;
  children: ReactNode;
}

/**
 * What the parameter fields of one node can suggest: its upstream nodes with
 * their last known outputs — from the run the editor follows, else the
 * workflow's last run, else the data pinned for "test this node".
 */
export function ExpressionScopeProvider({ workspaceSlug, workflowId, nodeId, graph, run, children }: ExpressionScopeProviderProps) {
  const lastRun = useQuery({
    queryKey: [...queryKeys.workflow(workspaceSlug, workflowId), 'last-run'],
    queryFn: () => findLastRun(workspaceSlug, workflowId),
    enabled: run === null,
    staleTime: 30_000,
  });
  const source = run ?? lastRun.data ?? null;

  const scope = useMemo<ExpressionScope>(() => {
    const pins = readPinnedData(workflowId, nodeId);
    const pinnedOutputs = (parseJson(pins?.nodes) ?? {}) as Record<string, unknown>;
    const outputs = new Map<string, unknown>(source?.steps.map((step) => [step.nodeId, step.output]) ?? []);
    // Other nodes' pins hold their own input: the output of their parent, which may be one of ours.
    for (const edge of graph.edges) {
      if (outputs.has(edge.from)) continue;
      const theirInput = parseJson(readPinnedData(workflowId, edge.to)?.input);
      if (theirInput !== undefined) outputs.set(edge.from, theirInput);
    }
    const upstream = findUpstreamNodeIds(graph, nodeId).map((id) => ({
      id,
      name: graph.nodes.find((node) => node.id === id)?.name ?? '',
      sample: id in pinnedOutputs ? pinnedOutputs[id] : outputs.get(id),
    }));
    const parent = graph.edges.find((edge) => edge.to === nodeId)?.from;
    const pinnedInput = parseJson(pins?.input);
    const input = pinnedInput !== undefined ? pinnedInput : parent === undefined ? source?.input : outputs.get(parent);
    return { upstream, input, trigger: source?.input };
  }, [source, graph, workflowId, nodeId]);

  return <ExpressionScopeContext.Provider value={scope}>{children}</ExpressionScopeContext.Provider>;
}
