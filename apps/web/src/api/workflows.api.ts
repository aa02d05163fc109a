import type {
  CreateWorkflowBody,
  GraphDiffView,
  GraphProblemView,
  ImportedWorkflow,
  ImportWorkflowBody,
  Page,
  PublishedVersionView,
  PublishWorkflowBody,
  RollbackWorkflowBody,
  UpdateWorkflowBody,
  VersionDetail,
  VersionList,
  VersionSummary,
  WorkflowView as ContractWorkflowView,
  WorkflowSettings,
  WorkflowSummary,
} from '@weft/contracts';
import { api } from './api-client';

/** The graph as packages/engine stores it (graph.ts). */
export interface GraphNode {
  id: string;
  type: string;
  version: number;
  name: string;
  params: Record<string, unknown>;
  credentialId?: string;
  position: { x: number; y: number };
  disabled?: boolean;
  retry?: { attempts: number; backoffMs: number; maxBackoffMs: number };
  timeoutMs?: number;
}

export interface GraphEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

export interface WorkflowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The reply shapes are the API's (packages/contracts); the draft graph is read as the engine's graph above. */
export type { GraphDiffView as GraphDiff, GraphProblemView as GraphProblem, PublishedVersionView as PublishedVersion, VersionSummary, WorkflowSettings, WorkflowSummary };

export type WorkflowView = Omit<ContractWorkflowView, 'draftGraph'> & { draftGraph: WorkflowGraph | null };

/** The export format (modules/workflows writes it), as a client sends it: fields with defaults may be left out. */
export type WorkflowDocument = Omit<ImportWorkflowBody['document'], 'graph'> & { graph: WorkflowGraph };

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/workflows`;

export const workflowsApi = {
  listWorkflows: (workspace: string, cursor?: string) => api.get<Page<WorkflowSummary>>(base(workspace), { query: { limit: 100, cursor } }),
  findWorkflow: (workspace: string, id: string) => api.get<WorkflowView>(`${base(workspace)}/${id}`),
  createWorkflow: (workspace: string, body: CreateWorkflowBody) => api.post<WorkflowView>(base(workspace), body),
  updateWorkflow: (workspace: string, id: string, body: UpdateWorkflowBody) => api.patch<WorkflowView>(`${base(workspace)}/${id}`, body),
  archiveWorkflow: (workspace: string, id: string) => api.delete<WorkflowSummary>(`${base(workspace)}/${id}`),

  publishWorkflow: (workspace: string, id: string, message: string) => api.post<PublishedVersionView>(`${base(workspace)}/${id}/publish`, { message } satisfies PublishWorkflowBody),
  listVersions: (workspace: string, id: string) => api.get<VersionList>(`${base(workspace)}/${id}/versions`),
  findVersion: (workspace: string, id: string, version: number) => api.get<VersionDetail>(`${base(workspace)}/${id}/versions/${version}`),
  diffVersions: (workspace: string, id: string, from: number | 'draft', to: number | 'draft') =>
    api.get<GraphDiffView>(`${base(workspace)}/${id}/versions/${from}/diff/${to}`),
  rollbackWorkflow: (workspace: string, id: string, version: number, message?: string) =>
    api.post<PublishedVersionView>(`${base(workspace)}/${id}/rollback`, { version, ...(message ? { message } : {}) } satisfies RollbackWorkflowBody),
  exportWorkflow: (workspace: string, id: string, version: number | 'draft' = 'draft') =>
    api.get<WorkflowDocument>(`${base(workspace)}/${id}/export`, { query: { version } }),
  importWorkflow: (workspace: string, document: WorkflowDocument, publish = false) =>
    api.post<ImportedWorkflow>(`${base(workspace)}/import`, { document, publish } satisfies ImportWorkflowBody),
};

/** The public address of a webhook trigger (apps/server's /hooks/:workspaceSlug/*). */
export function buildWebhookUrl(workspaceSlug: string, path: string): string {
  return `${window.location.origin}/hooks/${workspaceSlug}/${path}`;
}
