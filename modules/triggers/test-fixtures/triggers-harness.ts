import { claimDueOutboxEvents, markOutboxEventDelivered, type Database } from '@weft/db';
import { createCoreNodeRegistry } from '@weft/engine';
import { AppError, CoreErrors, createLogger, createManualClock, newId, type EventSubscriber } from '@weft/kernel';
import { createRunsModule, type RunsModule } from '@weft/runs';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createWorkflowsModule, type Actor, type RequireWorkspaceAccess, type WorkflowsModule } from '@weft/workflows';
import { createTriggersModule, type StartTriggeredRun, type TriggersModule, type TriggersModuleDeps } from '@weft/triggers';

export const silentLogger = createLogger({ level: 'silent', format: 'json' });

export interface TestWorkspace {
  id: string;
  slug: string;
}

/** The workspaces module's contract: 404 for a workspace the caller is not a member of. */
function createTestWorkspaces() {
  const workspaces: TestWorkspace[] = [];
  const members = new Set<string>();
  const requireWorkspaceAccess: RequireWorkspaceAccess = async (principal, ref) => {
    const workspace = workspaces.find((candidate) => candidate.id === ref || candidate.slug === ref);
    if (!workspace || !members.has(`${principal.userId}:${workspace.id}`)) throw new AppError(CoreErrors.NOT_FOUND, 'Workspace not found');
    return { workspace, role: 'member' };
  };
  return {
    requireWorkspaceAccess,
    addWorkspace(slug: string, userId: string): TestWorkspace {
      const workspace = { id: newId(), slug };
      workspaces.push(workspace);
      members.add(`${userId}:${workspace.id}`);
      return workspace;
    },
  };
}

export interface TriggersHarness {
  database: TestDatabase;
  clock: ReturnType<typeof createManualClock>;
  workflows: WorkflowsModule;
  runs: RunsModule;
  triggers: TriggersModule;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  alpha: TestWorkspace;
  beta: TestWorkspace;
  alice: string;
  bob: string;
  /** Builds another triggers module (a second worker) on `database`, sharing the clock. */
  createTriggers(overrides?: Partial<TriggersModuleDeps>): TriggersModule;
  /** Creates and publishes a workflow whose trigger is `trigger`; returns its id. */
  publishWorkflow(trigger: { type: string; params: Record<string, unknown> }, workspace?: TestWorkspace): Promise<string>;
  /** Publishes the workflow again with another trigger. */
  republish(workflowId: string, trigger: { type: string; params: Record<string, unknown> }, workspace?: TestWorkspace): Promise<void>;
  archive(workflowId: string, workspace?: TestWorkspace): Promise<void>;
  /** What the worker does: claims pending outbox events, then hands them to the subscribers. */
  deliverEvents(subscribers?: EventSubscriber[]): Promise<Array<{ id: string; name: string }>>;
  /** Runs of a workflow as the runs module lists them. */
  listRuns(workspace: TestWorkspace, workflowId?: string): ReturnType<RunsModule['api']['listRuns']>;
  close(): Promise<void>;
}

export const graphWithTrigger = (trigger: { type: string; params: Record<string, unknown> }) => ({
  nodes: [{ id: 'start', type: trigger.type, version: 1, name: 'start', params: trigger.params, position: { x: 0, y: 0 } }],
  edges: [],
});

export async function createTriggersHarness(options: { startRun?: StartTriggeredRun; start?: Date } = {}): Promise<TriggersHarness> {
  const database = await createTestDatabase();
  const clock = createManualClock(options.start ?? new Date('2026-01-05T09:00:30Z'));
  const registry = createCoreNodeRegistry();
  const access = createTestWorkspaces();
  const [alice, bob] = [newId(), newId()];
  const alpha = access.addWorkspace('alpha', alice);
  const beta = access.addWorkspace('beta', bob);
  const audit = { recordAudit: async () => undefined };
  const workflows = createWorkflowsModule({ database, clock, registry, requireWorkspaceAccess: access.requireWorkspaceAccess, audit });
  const runs = createRunsModule({ database, clock, logger: silentLogger, registry, catalog: workflows.api.catalog, requireWorkspaceAccess: access.requireWorkspaceAccess, audit });
  const actorFor = (workspace: TestWorkspace): Actor => ({ type: 'user', id: workspace === beta ? bob : alice });

  const createTriggers = (overrides: Partial<TriggersModuleDeps> = {}) =>
    createTriggersModule({
      database,
      clock,
      logger: silentLogger,
      registry,
      catalog: workflows.api.catalog,
      startRun: options.startRun ?? runs.api.startTriggeredRun,
      requireWorkspaceAccess: access.requireWorkspaceAccess,
      ...overrides,
    });
  const triggers = createTriggers();

  return {
    database,
    clock,
    workflows,
    runs,
    triggers,
    requireWorkspaceAccess: access.requireWorkspaceAccess,
    alpha,
    beta,
    alice,
    bob,
    createTriggers,
    async publishWorkflow(trigger, workspace = alpha) {
      const { workflow } = await workflows.api.createWorkflow(workspace, actorFor(workspace), { name: 'Test', graph: graphWithTrigger(trigger) });
      await workflows.api.publishWorkflow(workspace, actorFor(workspace), workflow.id, 'test');
      return workflow.id;
    },
    async republish(workflowId, trigger, workspace = alpha) {
      await workflows.api.updateWorkflow(workspace, actorFor(workspace), workflowId, { graph: graphWithTrigger(trigger) });
      await workflows.api.publishWorkflow(workspace, actorFor(workspace), workflowId, 'again');
    },
    async archive(workflowId, workspace = alpha) {
      await workflows.api.archiveWorkflow(workspace, actorFor(workspace), workflowId);
    },
    deliverEvents: (subscribers = triggers.subscribers) => deliverPendingEvents(database, subscribers),
    listRuns: (workspace, workflowId) => runs.api.listRuns({ workspaceId: workspace.id, ...(workflowId ? { workflowId } : {}) }, 1000),
    async close() {
      await runs.stop();
      await database.close();
    },
  };
}

/**
 * Claims and marks events in one short transaction, then delivers them after
 * commit: subscribers open their own transactions, which PGlite's single
 * connection cannot do while another one is open.
 */
export async function deliverPendingEvents(database: Database, subscribers: EventSubscriber[]): Promise<Array<{ id: string; name: string }>> {
  const events = await database.transaction(async (tx) => {
    const claimed = await claimDueOutboxEvents(tx, 100);
    for (const event of claimed) await markOutboxEventDelivered(tx, event.id);
    return claimed;
  });
  for (const event of events) {
    for (const subscriber of subscribers.filter((candidate) => candidate.event === event.name)) {
      await subscriber.deliver(event.payload, { eventId: event.id, logger: silentLogger });
    }
  }
  return events.map((event) => ({ id: event.id, name: event.name }));
}
