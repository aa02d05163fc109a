import { api } from './api-client';
import type { Page } from './workspaces.api';

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

export interface WorkflowSettings {
  savingPolicy: 'all' | 'failed' | 'none';
  concurrencyLimit: number | null;
  timeoutMs: number;
}

/** One thing wrong with a draft; `path` points into the graph (`nodes[2].params.path`). */
export interface GraphProblem {
  code: string;
  message: string;
  nodeId?: string;
  path: string;
}

export interface WorkflowSummary {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  publishedVersionId: string | null;
  publishedVersion: number | null;
  settings: WorkflowSettings;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface WorkflowView extends WorkflowSummary {
  draftGraph: WorkflowGraph | null;
  draftUpdatedAt: string;
  problems: GraphProblem[];
}

export interface PublishedVersion {
  versionId: string;
  version: number;
  publishedAt: string;
}

export interface VersionSummary {
  id: string;
  version: number;
  message: string;
  publishedBy: string;
  publishedAt: string;
}

export interface GraphDiff {
  nodes: { added: string[]; removed: string[]; changed: { nodeId: string; paths: string[] }[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[] };
}

/** The export format of modules/workflows/workflow-document.ts. */
export interface WorkflowDocument {
  weft: 'workflow';
  version: 1;
  name: string;
  description?: string;
  settings?: Partial<WorkflowSettings>;
  graph: WorkflowGraph;
}

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/workflows`;

export const workflowsApi = {
  listWorkflows: (workspace: string, cursor?: string) => api.get<Page<WorkflowSummary>>(base(workspace), { query: { limit: 100, cursor } }),
  findWorkflow: (workspace: string, id: string) => api.get<WorkflowView>(`${base(workspace)}/${id}`),
  createWorkflow: (workspace: string, body: { name: string; description?: string; graph?: WorkflowGraph }) =>
    api.post<WorkflowView>(base(workspace), body),
  updateWorkflow: (
    workspace: string,
    id: string,
    body: { name?: string; description?: string; graph?: WorkflowGraph; settings?: Partial<WorkflowSettings> },
  ) => api.patch<WorkflowView>(`${base(workspace)}/${id}`, body),
  archiveWorkflow: (workspace: string, id: string) => api.delete<WorkflowSummary>(`${base(workspace)}/${id}`),

  publishWorkflow: (workspace: string, id: string, message: string) => api.post<PublishedVersion>(`${base(workspace)}/${id}/publish`, { message }),
  listVersions: (workspace: string, id: string) => api.get<{ items: VersionSummary[] }>(`${base(workspace)}/${id}/versions`),
  findVersion: (workspace: string, id: string, version: number) => api.get<VersionSummary & { graph: unknown }>(`${base(workspace)}/${id}/versions/${version}`),
  diffVersions: (workspace: string, id: string, from: number | 'draft', to: number | 'draft') =>
    api.get<GraphDiff>(`${base(workspace)}/${id}/versions/${from}/diff/${to}`),
  rollbackWorkflow: (workspace: string, id: string, version: number, message?: string) =>
    api.post<PublishedVersion>(`${base(workspace)}/${id}/rollback`, { version, ...(message ? { message } : {}) }),
  exportWorkflow: (workspace: string, id: string, version: number | 'draft' = 'draft') =>
    api.get<WorkflowDocument>(`${base(workspace)}/${id}/export`, { query: { version } }),
  importWorkflow: (workspace: string, document: WorkflowDocument, publish = false) =>
    api.post<{ workflow: WorkflowSummary; published: PublishedVersion | null }>(`${base(workspace)}/import`, { document, publish }),
};

/** The public address of a webhook trigger (apps/server's /hooks/:workspaceSlug/*). */
export function buildWebhookUrl(workspaceSlug: string, path: string): string {
  return `${window.location.origin}/hooks/${workspaceSlug}/${path}`;
}
