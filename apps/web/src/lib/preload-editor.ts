import type { QueryClient } from '@tanstack/react-query';
import { nodeTypesApi } from '../api/node-types.api';
import { queryKeys } from '../api/query-keys';
import { workflowsApi } from '../api/workflows.api';

/** The editor chunk (with @xyflow/react). One function, so the router and the preloads share one chunk. */
export const loadWorkflowEditorPage = () => import('../editor/workflow-editor-page');

/**
 * While someone looks at the workflow list, fetch what opening one needs (the
 * editor's code and the node types) when the browser is idle, so the click
 * only waits for the workflow itself.
 */
export function preloadEditorWhenIdle(queryClient: QueryClient): () => void {
  const preload = () => {
    void loadWorkflowEditorPage();
    void queryClient.prefetchQuery({ queryKey: queryKeys.nodeTypes, queryFn: nodeTypesApi.listNodeTypes, staleTime: 5 * 60_000 });
  };
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(preload, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(preload, 500);
  return () => clearTimeout(timer);
}

/** On hover or focus of a workflow link: its data is usually there before the click lands. */
export function prefetchWorkflow(queryClient: QueryClient, workspaceSlug: string, workflowId: string): void {
  void queryClient.prefetchQuery({
    queryKey: queryKeys.workflow(workspaceSlug, workflowId),
    queryFn: () => workflowsApi.findWorkflow(workspaceSlug, workflowId),
    staleTime: 10_000,
  });
}
