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
  /** Changes made in this process, heard right after commit (other processes' come through `forgetRunSettings`). */
  onWorkflowsChanged(listener: (workflowId: string) => void): () => void;
}

type RunnableSettings = Awaited<ReturnType<RunsService['requireRunnableWorkflow']>>;

/**
 * A safety net behind the change notifications: a change that announces
 * nothing (a workspace deleted with its workflows) is seen within this time.
 */
const SETTINGS_TTL_MS = 10_000;
const MAX_CACHED_SETTINGS = 1000;

/**
 * Runs started by the platform rather than by a request to /hooks: schedules
 * and app events queue them; bots and parent workflows need the answer now.
 * Both run the workflow's published version, scoped by workspace.
 */
export function createTriggeredRuns(deps: TriggeredRunsDeps) {
  // Bot interactions and sub-workflow calls read these on every run: at 500 interactions/s on PGlite
  // the query alone took a third of a core. Published settings change rarely and announce it.
  const settingsCache = new Map<string, { settings: RunnableSettings; loadedAt: number }>();
  let generation = 0;

  function forgetRunSettings(): void {
    generation++;
    settingsCache.clear();
  }
  deps.onWorkflowsChanged(forgetRunSettings);

  async function findRunnableSettings(workspaceId: string, workflowId: string): Promise<RunnableSettings> {
    const key = `${workspaceId}/${workflowId}`;
    const hit = settingsCache.get(key);
    if (hit && Date.now() - hit.loadedAt < SETTINGS_TTL_MS) return hit.settings;
    const startedAt = generation;
    const settings = await deps.runs.requireRunnableWorkflow(workspaceId, workflowId);
    // A change announced while reading makes this result stale: use it once, do not keep it.
    if (startedAt === generation) {
      settingsCache.delete(key);
      settingsCache.set(key, { settings, loadedAt: Date.now() });
      if (settingsCache.size > MAX_CACHED_SETTINGS) settingsCache.delete(settingsCache.keys().next().value!);
    }
    return settings;
  }

  return {
    /** For changes announced by other processes (NOTIFY on the workflows' changes channel). */
    forgetRunSettings,

    startTriggeredRun(request: TriggeredRunRequest) {
      return deps.runs.startQueuedRun(request.workspaceId, request.workflowId, request.triggerKind, request.input, request.idempotencyKey);
    },

    async runWorkflowNow(request: RunNowRequest): Promise<RunNowResult> {
      const settings = await findRunnableSettings(request.workspaceId, request.workflowId);
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
