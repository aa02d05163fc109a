import { api } from './api-client';
import type { Page } from './workspaces.api';

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunSummary {
  id: string;
  workspaceId: string;
  workflowId: string;
  versionId: string;
  versionNumber: number;
  status: RunStatus;
  triggerKind: string;
  sourceRunId: string | null;
  error: unknown;
  attempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequestedAt: string | null;
}

export interface RunStep {
  nodeId: string;
  status: 'succeeded' | 'failed' | 'skipped' | string;
  port: string | null;
  output: unknown;
  outputTruncated: boolean;
  error: unknown;
  attempts: number;
  startedAt: string;
  finishedAt: string;
}

export interface RunView extends RunSummary {
  input: unknown;
  response: unknown;
  steps: RunStep[];
}

export interface RunFilters {
  status?: RunStatus;
  workflowId?: string;
  from?: string;
  to?: string;
}

const base = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}/runs`;

export const runsApi = {
  listRuns: (workspace: string, filters: RunFilters, cursor?: string) =>
    api.get<Page<RunSummary>>(base(workspace), { query: { limit: 50, cursor, ...filters } }),
  findRun: (workspace: string, id: string) => api.get<RunView>(`${base(workspace)}/${id}`),
  cancelRun: (workspace: string, id: string) => api.post<RunSummary>(`${base(workspace)}/${id}/cancel`),
  retryRun: (workspace: string, id: string) => api.post<{ runId: string }>(`${base(workspace)}/${id}/retry`),
  replayRun: (workspace: string, id: string, fromNodeId: string) => api.post<{ runId: string }>(`${base(workspace)}/${id}/replay`, { fromNodeId }),
  /** "Test this node": runs one node of the saved draft alone with pinned data; nothing is stored. */
  testNode: (workspace: string, workflowId: string, nodeId: string, body: NodeTestRequest) =>
    api.post<NodeTestResult>(`/api/v1/workspaces/${encodeURIComponent(workspace)}/workflows/${workflowId}/nodes/${encodeURIComponent(nodeId)}/test`, body),
  startRun: (workspace: string, workflowId: string, input: unknown) =>
    api.post<{ runId: string }>(`/api/v1/workspaces/${encodeURIComponent(workspace)}/workflows/${workflowId}/runs`, input ?? {}),
};

export interface NodeTestRequest {
  input?: unknown;
  nodes?: Record<string, unknown>;
  trigger?: unknown;
}

export interface NodeTestResult {
  status: 'succeeded' | 'failed' | 'skipped' | 'waiting';
  output?: unknown;
  port?: string;
  error?: unknown;
  durationMs: number;
}

/** Finished: nothing more will happen to it by itself (a waiting run resumes on a time or a callback). */
export function isRunFinished(status: RunStatus): boolean {
  return status !== 'queued' && status !== 'running' && status !== 'waiting';
}

/** The address that resumes a run waiting for a webhook: the waiting step's output holds it. */
export function findCallbackUrl(output: unknown): string | null {
  const url = (output as { callbackUrl?: unknown } | null)?.callbackUrl;
  return typeof url === 'string' ? url : null;
}
