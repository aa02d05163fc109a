import type { DataRights, EventSubscriber, PeriodicJob } from '@weft/kernel';
import { WorkflowEvents, type WorkflowArchived, type WorkflowVersionPublished } from '@weft/workflows';
import { WorkspaceEvents, type WorkspaceDeletedPayload } from '@weft/workspaces';
import { createAppEventRuns } from './app-events';
import { createScheduler } from './scheduler';
import { listWorkspaceSchedules } from './schedules.repository';
import { createTriggerSync } from './sync-triggers.service';
import type { TriggersModuleDeps } from './triggers.deps';
import { createTriggersRoutes } from './triggers.routes';
import { triggersInventories } from './triggers.tables';

export type { SchedulerOptions, StartTriggeredRun, TriggeredRunRequest, TriggersModuleDeps } from './triggers.deps';
export type { Scheduler } from './scheduler';

/**
 * Schedule (cron) and app-event triggers of published workflows: keeps their
 * rows in step with publishes and archives, fires due ticks once across all
 * schedulers, and starts runs for domain events in the workspace they concern.
 */
export function createTriggersModule(deps: TriggersModuleDeps) {
  const sync = createTriggerSync(deps);
  const appEvents = createAppEventRuns(deps);
  const listSchedules = (workspaceId: string) => listWorkspaceSchedules(deps.database.db, workspaceId);

  const subscribers: EventSubscriber[] = [
    {
      event: WorkflowEvents.versionPublished,
      name: 'triggers.sync-published-version',
      deliver: (payload) => sync.syncWorkflow((payload as WorkflowVersionPublished).workspaceId, (payload as WorkflowVersionPublished).workflowId),
    },
    {
      event: WorkflowEvents.workflowArchived,
      name: 'triggers.sync-archived-workflow',
      deliver: (payload) => sync.syncWorkflow((payload as WorkflowArchived).workspaceId, (payload as WorkflowArchived).workflowId),
    },
    {
      event: WorkspaceEvents.workspaceDeleted,
      name: 'triggers.remove-deleted-workspace',
      deliver: (payload) => sync.removeWorkspace((payload as WorkspaceDeletedPayload).workspaceId),
    },
    ...appEvents.subscribers,
  ];

  const reconcileJob: PeriodicJob = {
    name: 'triggers.reconcile',
    intervalMs: 15 * 60_000,
    async run({ logger }) {
      const workflows = await sync.reconcileAll();
      logger.debug({ workflows }, 'reconciled schedules and event triggers');
    },
  };

  // Schedules and event triggers belong to workspaces, not to people: no column names a user (the filter is
  // part of the workspace's graph), so there is nothing to export or erase per person.
  const dataRights: DataRights = { module: 'triggers', exportSubject: async () => ({}), eraseSubject: async () => undefined };

  return {
    routes: createTriggersRoutes(listSchedules, deps.requireWorkspaceAccess),
    api: {
      listSchedules,
      syncWorkflow: sync.syncWorkflow,
      reconcileAll: sync.reconcileAll,
      startEventRuns: appEvents.startEventRuns,
    },
    /** A scheduler loop to run in every worker (`components`); several at once never fire a tick twice. */
    createScheduler: () => createScheduler(deps),
    /** The reconcile job also runs at once on a fresh instance (a new periodic job is due immediately). */
    jobs: [reconcileJob],
    subscribers,
    inventories: triggersInventories,
    dataRights,
  };
}

export type TriggersModule = ReturnType<typeof createTriggersModule>;
