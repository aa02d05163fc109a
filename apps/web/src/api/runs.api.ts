// Types only: a value import would bring zod into the dashboard's bundle.
import type { DraftRunBody, RunPage, RunStatus, RunStepView, RunSummary, RunView, StartedRun } from '@weft/contracts';
import { api } from './api-client';

export type { RunStatus, RunSummary, RunView };
/** Every status, in the order filters list them (the contract's RunStatus, checked by the type). */
export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const satisfies readonly RunStatus[];
export type RunStep = RunStepView;

export interface RunFilters {
  status?: RunStatus;
  workflowId?: string;
  from?: string;
  to?: string;
}

const workspaceBase = (workspace: string) => `/api/v1/workspaces/${encodeURIComponent(workspace)}`;
const base = (workspace: string) => `${workspaceBase(workspace)}/runs`;

export const runsApi = {
  listRuns: (workspace: string, filters: RunFilters, cursor?: string) => api.get<RunPage>(base(workspace), { query: { limit: 50, cursor, ...filters } }),
  findRun: (workspace: string, id: string) => api.get<RunView>(`${base(workspace)}/${id}`),
  cancelRun: (workspace: string, id: string) => api.post<RunSummary>(`${base(workspace)}/${id}/cancel`),
  retryRun: (workspace: string, id: string) => api.post<StartedRun>(`${base(workspace)}/${id}/retry`),
  replayRun: (workspace: string, id: string, fromNodeId: string) => api.post<StartedRun>(`${base(workspace)}/${id}/replay`, { fromNodeId }),
  /** "Test this node": runs one node of the saved draft alone with pinned data; nothing is stored. */
  testNode: (workspace: string, workflowId: string, nodeId: string, body: NodeTestRequest) =>
    api.post<NodeTestResult>(`${workspaceBase(workspace)}/workflows/${workflowId}/nodes/${encodeURIComponent(nodeId)}/test`, body),
  /** Runs the published version; the body is its input. */
  startRun: (workspace: string, workflowId: string, input: unknown) => api.post<StartedRun>(`${workspaceBase(workspace)}/workflows/${workflowId}/runs`, input ?? {}),
  /** Runs the saved draft without publishing it (422 WORKFLOW_INVALID with its problems when it has any). */
  startDraftRun: (workspace: string, workflowId: string, body: DraftRunBody) => api.post<StartedRun>(`${workspaceBase(workspace)}/workflows/${workflowId}/draft-runs`, body ?? {}),
  /** The `text/event-stream` addresses (see run-events.api.ts). */
  runEventsUrl: (workspace: string, id: string) => `${base(workspace)}/${id}/events`,
  workspaceRunEventsUrl: (workspace: string) => `${base(workspace)}/events`,
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

/** "v3", or "draft" for a run of the saved draft. */
export function describeRunVersion(run: Pick<RunSummary, 'isDraft' | 'versionNumber'>): string {
  return run.isDraft || run.versionNumber === null ? 'draft' : `v${run.versionNumber}`;
}

/** The address that resumes a run waiting for a webhook: the waiting step's output holds it. */
export function findCallbackUrl(output: unknown): string | null {
  const url = (output as { callbackUrl?: unknown } | null)?.callbackUrl;
  return typeof url === 'string' ? url : null;
}
