import type { Database } from '@weft/db';
import type { NodeRegistry } from '@weft/engine';
import type { Clock, Logger } from '@weft/kernel';
import type { RequireWorkspaceAccess, WorkflowCatalog } from '@weft/workflows';

/** Structurally the runs module's `TriggeredRunRequest`, narrowed to what this module starts. */
export interface TriggeredRunRequest {
  workspaceId: string;
  workflowId: string;
  triggerKind: 'schedule' | 'event';
  /** Becomes the trigger node's output. */
  input: unknown;
  /** The same key for the same workflow gives back the same run, never a second one. */
  idempotencyKey?: string;
}

/** `runs.api.startTriggeredRun`: queues a run of the published version; AppError WORKFLOW_NOT_FOUND / _NOT_PUBLISHED / _ARCHIVED. */
export type StartTriggeredRun = (request: TriggeredRunRequest) => Promise<{ runId: string; isCreated: boolean }>;

export interface SchedulerOptions {
  /** How often a scheduler looks for due ticks (default 1 s). */
  pollMs?: number;
  /** A tick at most this late still counts as on time (default 60 s); older ones follow the missed-fire policy. */
  graceMs?: number;
  /** Most catch-up runs per schedule under `fire-all` (default 100). */
  maxCatchUp?: number;
  /** Schedules claimed per round (default 50). */
  batchSize?: number;
  /** How long a claim lasts; a scheduler that dies mid-round frees its rows after it (default 60 s). */
  leaseMs?: number;
  /** Wait before retrying a schedule whose run could not be started (default 30 s). */
  retryDelayMs?: number;
  /** Distinguishes this scheduler in claims and logs. */
  schedulerId?: string;
}

export interface TriggersModuleDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The registry workflows are validated with; it parses trigger params (defaults included). */
  registry: NodeRegistry;
  /** `workflows.api.catalog`. */
  catalog: Pick<WorkflowCatalog, 'findWorkflowRunSettings' | 'findRunnableVersion' | 'listPublishedVersions'>;
  /** `runs.api.startTriggeredRun`. */
  startRun: StartTriggeredRun;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  /**
   * The one workspace that receives instance-wide user events
   * (`accounts.user.signed-up`, `accounts.user.deactivated`), chosen by the
   * operator. Unset: those events start no workflow anywhere.
   */
  instanceEventsWorkspaceId?: string | null;
  scheduler?: SchedulerOptions;
}
