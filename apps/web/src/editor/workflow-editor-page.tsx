import '@xyflow/react/dist/style.css';
import './editor-layout.css';
import './editor-nodes.css';
import './editor-inspector.css';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { nodeTypesApi } from '../api/node-types.api';
import { queryKeys } from '../api/query-keys';
import { workflowsApi } from '../api/workflows.api';
import { ErrorState } from '../components/empty-state';
import { LoadingBlock } from '../components/spinner';
import { useDocumentTitle } from '../lib/use-document-title';
import { useCurrentWorkspace } from '../pages/shell/workspace-scope';
import { readEditorDraft } from './editor-draft';
import { WorkflowEditor } from './workflow-editor';

/** `/w/:workspace/workflows/:workflowId`: loads the workflow and the node types, then opens the canvas. */
export default function WorkflowEditorPage() {
  const workspace = useCurrentWorkspace();
  const { workflowId = '' } = useParams();
  const workflow = useQuery({
    queryKey: queryKeys.workflow(workspace.slug, workflowId),
    queryFn: () => workflowsApi.findWorkflow(workspace.slug, workflowId),
    // The canvas reads the workflow once, when it opens; later refetches do not reset it.
    staleTime: 10_000,
    refetchOnWindowFocus: false,
  });
  const nodeTypes = useQuery({ queryKey: queryKeys.nodeTypes, queryFn: nodeTypesApi.listNodeTypes, staleTime: 5 * 60_000 });
  const [localDraft] = useState(() => readEditorDraft(workflowId));
  useDocumentTitle(workflow.data ? `${workflow.data.name} · Editor` : 'Editor');

  if (workflow.isPending || nodeTypes.isPending) return <LoadingBlock label="Opening the workflow…" />;
  if (workflow.isError) return <div className="page"><ErrorState error={workflow.error} onRetry={() => void workflow.refetch()} title="This workflow could not be opened" /></div>;
  if (nodeTypes.isError) return <div className="page"><ErrorState error={nodeTypes.error} onRetry={() => void nodeTypes.refetch()} title="The node types could not be loaded" /></div>;

  return (
    <ReactFlowProvider>
      <WorkflowEditor key={workflow.data.id} workspace={workspace} workflow={workflow.data} nodeTypes={nodeTypes.data} localDraft={localDraft} />
    </ReactFlowProvider>
  );
}
