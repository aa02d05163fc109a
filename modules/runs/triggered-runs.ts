import type { RunOutcome } from '@weft/engine';
import type { RunStart, RunTarget, NowOutcome } from './run-webhook';
import type { RunsService } from './runs.service';
import type { TriggerKind } from './runs.tables';

export interface TriggeredRunRequest {
  workspaceId: string;
  workflowId: string;
  triggerKind: Exclude<TriggerKind, 'manual' | 'webhook' | 'retry' | 'replay'>;
  /** The trigger node's output. */
  input: unknown;
  /** The same key for the same workflow gives back the same run: never a second one. */
  idempotencyKey?: string;
}

export interface RunNowRequest extends Omit<TriggeredRunRequest, 'idempotencyKey'> {
  /** Hears the respond node's output as soon as it exists, before the run ends. */
  onResponse?: (response: unknown) => void;
}

export interface RunNowResult {
  runId: string;
  status: RunOutcome['status'];
  response: unknown;
  error: { code: string; message: string; nodeId?: string } | null;
}

export interface TriggeredRunsDeps {
  runs: RunsService;
  runNow(target: RunTarget, start: RunStart): Promise<NowOutcome | null>;
}

/**
 * Runs started by the platform rather than by a request to /hooks: schedules
 * and app events queue them; bots and parent workflows need the answer now.
 * Both run the workflow's published version, scoped by workspace.
 */
export function createTriggeredRuns(deps: TriggeredRunsDeps) {
  return {
    startTriggeredRun(request: TriggeredRunRequest) {
      return deps.runs.startQueuedRun(request.workspaceId, request.workflowId, request.triggerKind, request.input, request.idempotencyKey);
    },

    async runWorkflowNow(request: RunNowRequest): Promise<RunNowResult> {
      const settings = await deps.runs.requireRunnableWorkflow(request.workspaceId, request.workflowId);
      const target: RunTarget = {
        workspaceId: settings.workspaceId,
        workflowId: settings.workflowId,
        versionId: settings.publishedVersionId,
        version: settings.publishedVersion,
        savingPolicy: settings.savingPolicy,
        concurrencyLimit: settings.concurrencyLimit,
        timeoutMs: settings.timeoutMs,
      };
      const result = await deps.runNow(target, {
        triggerKind: request.triggerKind,
        input: request.input,
        ...(request.onResponse ? { onResponse: request.onResponse } : {}),
      });
      if (result === null) {
        return { runId: '', status: 'failed', response: undefined, error: { code: 'SERVICE_UNAVAILABLE', message: 'The run was interrupted and will resume' } };
      }
      const { outcome } = result;
      const error = outcome.error ? { code: outcome.error.code ?? 'RUN_FAILED', message: outcome.error.message, nodeId: outcome.error.nodeId } : null;
      return { runId: result.runId, status: outcome.status, response: outcome.response, error };
    },
  };
}
